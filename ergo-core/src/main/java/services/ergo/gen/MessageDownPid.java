package services.ergo.gen;

/** A monitored process ended. */
public record MessageDownPid(Pid pid, Ref ref, Reason reason) implements MessageDown {}
