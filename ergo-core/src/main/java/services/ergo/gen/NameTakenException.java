package services.ergo.gen;

/** The name is already registered to another process (or the event name to another event). */
public final class NameTakenException extends ErgoException {
    public NameTakenException(String name) {
        super("name '" + name + "' is taken");
    }
}
