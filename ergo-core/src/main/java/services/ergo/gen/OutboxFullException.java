package services.ergo.gen;

/**
 * The connection to a node holds as many bytes as {@link NetworkOptions#maxOutboxBytes()} allows: the peer reads
 * more slowly than this node sends, or not at all. The message was not sent; a plain send can be retried later,
 * and an important send or a call fails at once with this.
 *
 * <pre>{@code
 * try {
 *     process.send(remote, job);
 * } catch (OutboxFullException e) {
 *     // the remote node is not keeping up: slow down, or route elsewhere
 * }
 * }</pre>
 */
public class OutboxFullException extends ErgoException {
    private static final long serialVersionUID = 1L;

    public OutboxFullException(String peer, long queued, long cap) {
        super(
                "the outbox to " + peer + " holds " + queued + " bytes, the most maxOutboxBytes (" + cap + ") allows: "
                        + peer + " is not reading",
                false); // flow control under load, like a full mailbox: no stack trace
    }
}
