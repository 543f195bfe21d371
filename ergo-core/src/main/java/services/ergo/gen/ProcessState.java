package services.ergo.gen;

/** The states of a process, as Ergo names them. */
public enum ProcessState {
    /** Running its {@code init}. */
    INIT,
    /** Alive with nothing to do. */
    SLEEP,
    /** Handling a message now. */
    RUNNING,
    /** Blocked in a synchronous {@code call}, waiting for the response. */
    WAIT_RESPONSE,
    /** Ended. */
    TERMINATED,
    /** Killed while a handler was still running; the handler's thread is not interrupted. */
    ZOMBIE
}
