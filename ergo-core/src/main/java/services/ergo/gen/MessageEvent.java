package services.ergo.gen;

/** One message published to an event, as a subscriber receives it in {@code handleEvent}. */
public record MessageEvent(Event event, long timestampNanos, Object message) {}
