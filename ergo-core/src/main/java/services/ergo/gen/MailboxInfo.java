package services.ergo.gen;

/** How many messages wait in each queue of a mailbox. */
public record MailboxInfo(long urgent, long system, long main, long log) {
    public long total() {
        return urgent + system + main + log;
    }
}
