package services.ergo.gen;

/** The called process ended before it answered. */
public final class ProcessTerminatedException extends ErgoException {
    public ProcessTerminatedException(Object target, Reason reason) {
        super("process " + target + " ended (" + reason + ") before it answered", false);
    }
}
