package services.ergo.gen;

/** Told to an event's producer (registered with {@code notify}) when its last subscriber leaves. */
public record MessageEventStop(Event event) {}
