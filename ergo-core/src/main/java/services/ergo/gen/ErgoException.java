package services.ergo.gen;

import org.jspecify.annotations.Nullable;

/**
 * The root of the errors this framework reports. Errors that are part of normal flow control under load (a full
 * mailbox, an unknown process, a timeout) carry no stack trace, so throwing them stays cheap.
 */
public class ErgoException extends RuntimeException {
    public ErgoException(String message) {
        super(message);
    }

    public ErgoException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    protected ErgoException(String message, boolean withStackTrace) {
        super(message, null, false, withStackTrace);
    }
}
