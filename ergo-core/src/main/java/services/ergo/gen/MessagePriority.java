package services.ergo.gen;

/**
 * How urgently a message is delivered. Each maps to a queue of the mailbox: {@code NORMAL} to Main, {@code HIGH}
 * to System, {@code MAX} to Urgent. A process takes from Urgent first, then System, then Main, then Log.
 */
public enum MessagePriority {
    NORMAL,
    HIGH,
    MAX
}
