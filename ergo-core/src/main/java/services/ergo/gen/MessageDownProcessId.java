package services.ergo.gen;

/** The process monitored by name ended, or the name was unregistered. */
public record MessageDownProcessId(ProcessId processId, Ref ref, Reason reason) implements MessageDown {}
