package services.ergo.gen;

/**
 * Told about application changes on a node: loaded, started, stopping, stopped, unloaded, weight changed. A
 * registrar publishes these as application routes. Called on the thread that made the change: keep it short.
 */
@FunctionalInterface
public interface ApplicationListener {
    void applicationChanged(ApplicationInfo info, ApplicationChange change);

    /** What happened to the application. */
    enum ApplicationChange {
        LOADED,
        STARTED,
        STOPPING,
        STOPPED,
        UNLOADED,
        WEIGHT
    }
}
