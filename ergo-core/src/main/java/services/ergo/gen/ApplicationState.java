package services.ergo.gen;

/** Where an application is in its life. */
public enum ApplicationState {
    LOADED,
    RUNNING,
    STOPPING
}
