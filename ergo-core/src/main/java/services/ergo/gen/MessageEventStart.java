package services.ergo.gen;

/** Told to an event's producer (registered with {@code notify}) when its first subscriber arrives. */
public record MessageEventStart(Event event) {}
