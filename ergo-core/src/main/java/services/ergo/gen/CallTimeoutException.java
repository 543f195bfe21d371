package services.ergo.gen;

import java.time.Duration;

/** No response to a call arrived in time. */
public final class CallTimeoutException extends ErgoException {
    public CallTimeoutException(Object target, Duration timeout) {
        super("call to " + target + " timed out after " + timeout.toMillis() + " ms", false);
    }

    private CallTimeoutException(String message, boolean withStackTrace) {
        super(message, withStackTrace);
    }

    /** The same error as reported by another node, with that node's text. */
    public static CallTimeoutException fromRemote(String message) {
        return new CallTimeoutException(message, false);
    }
}
