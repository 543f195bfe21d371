package services.ergo.gen;

import java.time.Duration;

/** No response to a call arrived in time. */
public final class CallTimeoutException extends ErgoException {
    public CallTimeoutException(Object target, Duration timeout) {
        super("call to " + target + " timed out after " + timeout.toMillis() + " ms", false);
    }
}
