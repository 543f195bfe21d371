package services.ergo.gen;

/** The name is already registered to another process (or the event name to another event). */
public final class NameTakenException extends ErgoException {
    public NameTakenException(String name) {
        super("name '" + name + "' is taken");
    }

    /** The name is taken, and {@code why} says by whom or where. */
    public NameTakenException(String name, String why) {
        super("name '" + name + "' is taken: " + why);
    }
}
