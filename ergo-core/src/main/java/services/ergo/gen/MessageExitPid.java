package services.ergo.gen;

/** A linked process ended, or someone sent this process an exit signal. */
public record MessageExitPid(Pid pid, Reason reason) implements MessageExit {}
