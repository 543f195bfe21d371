package services.ergo.gen;

/** The operation is not allowed here: from this process, in this state, or for this peer. */
public final class NotAllowedException extends ErgoException {
    public NotAllowedException(String message) {
        super(message);
    }
}
