package services.ergo.gen;

/** The called process ended before it answered. */
public final class ProcessTerminatedException extends ErgoException {
    public ProcessTerminatedException(Object target, Reason reason) {
        super("process " + target + " ended (" + reason + ") before it answered", false);
    }

    private ProcessTerminatedException(String message, boolean withStackTrace) {
        super(message, withStackTrace);
    }

    /** The same error as reported by another node, with that node's text. */
    public static ProcessTerminatedException fromRemote(String message) {
        return new ProcessTerminatedException(message, false);
    }
}
