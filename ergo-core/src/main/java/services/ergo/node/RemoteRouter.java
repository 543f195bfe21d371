package services.ergo.node;

import org.jspecify.annotations.Nullable;
import services.ergo.gen.Compression;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Pid;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * Internal: what the node asks of its network for targets on other nodes. The network implements it and hands
 * what arrives back through {@link Core}, so this package never depends on the network's.
 */
public interface RemoteRouter {
    byte MESSAGE = Envelope.MESSAGE;
    byte REQUEST = Envelope.REQUEST;
    byte IMPORTANT = Envelope.IMPORTANT;

    /**
     * Sends a message, an important message or a call's request to {@code to} on {@code node}; throws when it
     * cannot be sent. Requests and important messages carry {@code ref}, which their answer comes back with.
     */
    void route(
            String node,
            Pid from,
            Object to,
            byte kind,
            Object message,
            @Nullable Ref ref,
            MailboxQueue queue,
            @Nullable Compression compression);

    /** Answers a call made from {@code node}. */
    void respond(String node, Pid from, Pid to, Ref ref, @Nullable Object value, @Nullable ErgoException error);

    /**
     * Sends an exit signal to a process on {@code node}. {@code fromName} is the name the sender was registered
     * under, if it was: a process linked to it by name knows it by nothing else.
     */
    void exit(String node, Pid from, Object to, Reason reason, @Nullable String fromName);

    /**
     * Asks {@code node} to record a link between {@code from} (here) and {@code to} (there: a Pid or a ProcessId).
     */
    void link(String node, Pid from, Object to);

    void unlink(String node, Pid from, Object to);

    /**
     * Asks {@code node} to watch {@code to} (a Pid or a ProcessId) for {@code from}; the end comes back as a down
     * message.
     */
    void monitor(String node, Pid from, Object to, Ref ref);

    void demonitor(String node, Pid from, Object to, Ref ref);

    /** Connects to {@code node} now, or throws why it cannot. */
    void connect(String node);

    /** Tells a watcher on {@code node} that the process it monitored ended. */
    void down(String node, Pid from, Pid owner, Ref ref, Reason reason);

    /** Stops the network. */
    void stop();
}
