package services.ergo.gen;

/** A linked event ended: its producer unregistered it or ended. */
public record MessageExitEvent(Event event, Reason reason) implements MessageExit {}
