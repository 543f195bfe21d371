package services.ergo.gen;

/** The process linked by name ended, or its name was unregistered. */
public record MessageExitProcessId(ProcessId processId, Reason reason) implements MessageExit {}
