package services.ergo.gen;

/** A monitored event ended. */
public record MessageDownEvent(Event event, Ref ref, Reason reason) implements MessageDown {}
