package services.ergo.gen;

/** The target's bounded mailbox is full; the message was not delivered. */
public final class MailboxFullException extends ErgoException {
    public MailboxFullException(Object target, int size) {
        super("mailbox of " + target + " is full (size " + size + ")", false);
    }

    private MailboxFullException(String message, boolean withStackTrace) {
        super(message, withStackTrace);
    }

    /** The same error as reported by another node, with that node's text. */
    public static MailboxFullException fromRemote(String message) {
        return new MailboxFullException(message, false);
    }
}
