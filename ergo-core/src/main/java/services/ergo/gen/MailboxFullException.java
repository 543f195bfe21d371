package services.ergo.gen;

/** The target's bounded mailbox is full; the message was not delivered. */
public final class MailboxFullException extends ErgoException {
    public MailboxFullException(Object target, int size) {
        super("mailbox of " + target + " is full (size " + size + ")", false);
    }
}
