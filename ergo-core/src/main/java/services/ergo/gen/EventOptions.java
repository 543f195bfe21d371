package services.ergo.gen;

/**
 * How an event behaves.
 *
 * @param notifyProducer whether the producer is told ({@link MessageEventStart}, {@link MessageEventStop}) when the first
 *     subscriber arrives and the last one leaves
 * @param buffer how many of the last published messages are kept and handed to each new subscriber (0: none)
 */
public record EventOptions(boolean notifyProducer, int buffer) {
    public EventOptions {
        if (buffer < 0) {
            throw new IllegalArgumentException("event buffer must be >= 0, got " + buffer);
        }
    }

    public static EventOptions defaults() {
        return new EventOptions(false, 0);
    }
}
