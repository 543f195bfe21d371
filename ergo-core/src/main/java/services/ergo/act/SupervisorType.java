package services.ergo.act;

/** What a supervisor restarts when one child ends, as in Ergo and OTP. */
public enum SupervisorType {
    /** Only the child that ended. */
    ONE_FOR_ONE,
    /** Every child: the others are stopped (last started first), then all start again in order. */
    ALL_FOR_ONE,
    /** The child that ended and those started after it. */
    REST_FOR_ONE,
    /** Children of one kind, started on demand with {@link Supervisor#startChild}; each restarted alone. */
    SIMPLE_ONE_FOR_ONE
}
