package services.ergo.saturn.protocol;

/**
 * Bytes that break the Saturn wire: a frame over the cap, a truncated field, an unknown message type, a count
 * past its bound. Whoever reads them counts the refusal and closes the connection; the message says what was
 * wrong, never echoing more than a few bytes of the input.
 *
 * <pre>{@code
 * try {
 *     Message m = Codec.decode(body, limits);
 * } catch (SaturnProtocolException e) {
 *     refused.incrementAndGet(); // and close the connection
 * }
 * }</pre>
 */
public final class SaturnProtocolException extends RuntimeException {
    public SaturnProtocolException(String message) {
        super(message);
    }
}
