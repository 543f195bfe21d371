package services.ergo.gen;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

/**
 * A process as seen from its own handlers: everything an actor may do. Use it only from the process's own
 * handlers; the node serialises them, so no locking is needed in actor code.
 *
 * <pre>{@code
 * public void handleMessage(Pid from, Object message) {
 *     if (message instanceof Job job) {
 *         Object result = call(new ProcessId("store", node().name()), new Save(job));
 *         send(from, new Done(job.id(), result));
 *     }
 * }
 * }</pre>
 */
public interface Process {

    Pid pid();

    Node node();

    /** The registered name; null when the process has none. */
    @Nullable
    String name();

    /** The process that spawned this one (the node's core process for those the node spawned). */
    Pid parent();

    /** The group leader: the application's or supervisor's process, else the parent. */
    Pid leader();

    ProcessState state();

    /** The application this process belongs to; null when it belongs to none. */
    @Nullable
    String application();

    // --- messages ---

    /** Sends to a {@link Pid}, {@link ProcessId}, registered name ({@link String}) or {@link Alias}. */
    void send(Object to, Object message);

    /**
     * Sends and waits until the message is in the target's mailbox, also on another node: an unknown process or a
     * full mailbox there is thrown here at once ({@link ProcessUnknownException}, {@link MailboxFullException}),
     * and no confirmation within the call timeout is a {@link CallTimeoutException}. Use it where a lost message
     * matters and a reply does not.
     *
     * <pre>{@code
     * sendImportant(new ProcessId("ledger", "bank@host2"), new Debit(account, amount));
     * }</pre>
     */
    void sendImportant(Object to, Object message);

    void sendWithPriority(Object to, Object message, MessagePriority priority);

    /** Delivers {@code message} to {@code to} after {@code delay}; the timer is cancelled if this process ends. */
    Cancellable sendAfter(Object to, Object message, Duration delay);

    /** Sends an exit signal to {@code to}; it ends with {@code reason} unless it traps exits. */
    void sendExit(Pid to, Reason reason);

    /** Calls with the node's default timeout (5 s unless configured). Blocks this process, not the node. */
    @Nullable
    Object call(Object to, Object request);

    @Nullable
    Object call(Object to, Object request, Duration timeout);

    /**
     * Calls without blocking: the answer comes to {@code handleMessage} as a {@link CallResult} carrying the
     * returned reference (an error result after {@code timeout}).
     */
    Ref callAsync(Object to, Object request, Duration timeout);

    /** Answers a call later, for a handler that returned {@code null} from {@code handleCall}. */
    void sendResponse(Pid to, Ref ref, @Nullable Object response);

    void sendResponseError(Pid to, Ref ref, ErgoException error);

    // --- links and monitors ---

    /**
     * Links to a {@link Pid}, {@link ProcessId}, registered name or {@link Event}. A process on another node is
     * linked by Pid or ProcessId; when the connection to its node is lost the link breaks with reason
     * {@code noconnection}.
     */
    void link(Object target);

    void unlink(Object target);

    /** Monitors a {@link Pid}, {@link ProcessId}, registered name or {@link Event}; returns the monitor's ref. */
    Ref monitor(Object target);

    void demonitor(Object target);

    /**
     * Monitors another node as a whole, connecting to it first: when the connection is lost this process gets a
     * {@link MessageDownNode} with reason {@code noconnection}. Monitoring a node twice returns the same ref.
     *
     * <pre>{@code
     * Ref ref = monitorNode("worker@host2");
     * // later, in handleMessage: case MessageDownNode down -> log().warn("lost {}", down.node());
     * }</pre>
     *
     * @throws NoConnectionException when the node cannot be reached now
     */
    Ref monitorNode(String node);

    void demonitorNode(String node);

    void setTrapExit(boolean trap);

    /**
     * Compresses what this process sends to other nodes above a size threshold; see {@link Compression}.
     *
     * <pre>{@code
     * setCompression(Compression.on());
     * }</pre>
     */
    void setCompression(Compression compression);

    Compression compression();

    boolean trapExit();

    // --- spawn, names, aliases ---

    /** Spawns a child of this process. */
    Pid spawn(ProcessFactory factory, ProcessOptions options, Object... args);

    Pid spawnRegister(String name, ProcessFactory factory, ProcessOptions options, Object... args);

    void registerName(String name);

    void unregisterName();

    Alias createAlias();

    void deleteAlias(Alias alias);

    // --- events ---

    /** Registers an event this process produces; the token authorises publishing. */
    Ref registerEvent(String name, EventOptions options);

    void unregisterEvent(String name);

    void sendEvent(String name, Ref token, Object message);

    /** Links to an event; returns the messages it kept for new subscribers (oldest first). */
    List<MessageEvent> linkEvent(Event event);

    /** Monitors an event; returns the messages it kept for new subscribers (oldest first). */
    List<MessageEvent> monitorEvent(Event event);

    // --- the rest ---

    /** Ends this process with {@code reason} once the current handler returns. */
    void stop(Reason reason);

    /** A logger whose lines carry this node and process in the MDC ({@code ergo.node}, {@code ergo.pid}). */
    Logger log();

    /** The environment variable {@code name}, the process's own or else the node's; null when neither is set. */
    @Nullable
    Object env(String name);

    /** Sets the process's environment variable {@code name}; null removes it. */
    void setEnv(String name, @Nullable Object value);

    Map<String, Object> envList();
}
