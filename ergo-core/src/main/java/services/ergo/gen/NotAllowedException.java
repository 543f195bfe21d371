package services.ergo.gen;

/** The operation is not allowed here: from this process, in this state, or for this peer. */
public final class NotAllowedException extends ErgoException {
    public NotAllowedException(String message) {
        super(message);
    }

    private NotAllowedException(String message, boolean withStackTrace) {
        super(message, withStackTrace);
    }

    /** The same error as reported by another node, with that node's text. */
    public static NotAllowedException fromRemote(String message) {
        return new NotAllowedException(message, false);
    }
}
