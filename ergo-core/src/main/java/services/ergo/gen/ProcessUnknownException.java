package services.ergo.gen;

/** The target process, name or alias does not exist (or no longer does). */
public final class ProcessUnknownException extends ErgoException {
    public ProcessUnknownException(Object target) {
        super("unknown process " + target, false);
    }
}
