package services.ergo.gen;

/** The target process, name or alias does not exist (or no longer does). */
public final class ProcessUnknownException extends ErgoException {
    public ProcessUnknownException(Object target) {
        super("unknown process " + target, false);
    }

    private ProcessUnknownException(String message, boolean withStackTrace) {
        super(message, withStackTrace);
    }

    /** The same error as reported by another node, with that node's text. */
    public static ProcessUnknownException fromRemote(String message) {
        return new ProcessUnknownException(message, false);
    }
}
