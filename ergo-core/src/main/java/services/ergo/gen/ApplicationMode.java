package services.ergo.gen;

/** What an application's end means, as in Ergo. */
public enum ApplicationMode {
    /** The application runs until all its members have ended; their ends stop nothing else. */
    TEMPORARY,
    /** A member ending abnormally stops the whole application; normal ends do not. */
    TRANSIENT,
    /** Any member ending stops the application, and the application's end stops the node. */
    PERMANENT
}
