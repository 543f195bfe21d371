package services.ergo.act;

/** Which ends of a child lead to a restart. */
public enum SupervisorStrategy {
    /** Always, even after a normal end. */
    PERMANENT,
    /** Only after an abnormal end (neither normal nor shutdown). The default. */
    TRANSIENT,
    /** Never: the child is forgotten. */
    TEMPORARY
}
