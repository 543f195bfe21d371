package services.ergo.gen;

/**
 * An exit signal turned into a message, which a process receives in {@code handleMessage} when it traps exits.
 * Without trap-exit the signal ends the process instead (unless its reason is {@code normal}).
 */
public sealed interface MessageExit permits MessageExitPid, MessageExitProcessId, MessageExitEvent, MessageExitNode {
    Reason reason();
}
