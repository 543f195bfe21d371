package services.ergo.gen;

import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A running node: the home of processes, applications and events, and (once the network is on) its door to
 * the cluster. Started with {@link services.ergo.Ergo#startNode}.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("demo@localhost", NodeOptions.defaults());
 * Pid pid = node.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
 * Object answer = node.call(pid, "ping");
 * node.stop();
 * }</pre>
 */
public interface Node {

    /** The node's name, {@code name@host}. */
    String name();

    /** A number that tells this run of the node from earlier runs with the same name. */
    long creation();

    /** The node's own process id: the sender of what the node sends on behalf of code outside any process. */
    Pid corePid();

    boolean isAlive();

    /**
     * The node's network.
     *
     * @throws NotAllowedException when the node was started without it ({@link NetworkOptions#on()})
     */
    Network network();

    long uptimeMillis();

    // --- processes ---

    Pid spawn(ProcessFactory factory, ProcessOptions options, Object... args);

    Pid spawnRegister(String name, ProcessFactory factory, ProcessOptions options, Object... args);

    void registerName(String name, Pid pid);

    void unregisterName(String name);

    /** The process registered under {@code name}; null when none is. */
    @Nullable
    Pid whereIs(String name);

    /** Sends from the node's core process to a {@link Pid}, {@link ProcessId}, name or {@link Alias}. */
    void send(Object to, Object message);

    /** Sends from the node's core process and waits for the delivery to be confirmed; see {@link Process#sendImportant}. */
    void sendImportant(Object to, Object message);

    void sendWithPriority(Object to, Object message, MessagePriority priority);

    /** Calls from a plain thread (not a process handler), blocking it. */
    @Nullable
    Object call(Object to, Object request);

    @Nullable
    Object call(Object to, Object request, Duration timeout);

    void sendExit(Pid to, Reason reason);

    /** Ends the process at once with reason {@code kill}; its handler, if running, is not interrupted. */
    void kill(Pid pid);

    /** Asks a process to look inside itself ({@code handleInspect}), on its own turn. */
    java.util.Map<String, String> inspect(Pid pid, String... items);

    ProcessInfo processInfo(Pid pid);

    /** A cheap summary of processes, {@code start} ids onwards, at most {@code limit} of them. */
    List<ProcessShortInfo> processList(long startId, int limit);

    /**
     * Hands every live process to {@code each}, in id order, a page at a time (no list of them all is built):
     * for tools that walk the whole node, such as the deepest mailboxes or the Observer's table.
     */
    default void forEachProcess(java.util.function.Consumer<ProcessShortInfo> each) {
        long start = 0;
        while (true) {
            List<ProcessShortInfo> page = processList(start, 10_000);
            if (page.isEmpty()) {
                return;
            }
            for (ProcessShortInfo p : page) {
                start = Math.max(start, p.pid().id() + 1);
                each.accept(p);
            }
        }
    }

    NodeInfo info();

    // --- applications ---

    /** Loads an application: calls its {@code load} and keeps the spec. Returns its name. */
    String applicationLoad(ApplicationBehavior application, Object... args);

    void applicationStart(String name, ApplicationOptions options);

    default void applicationStartPermanent(String name, ApplicationOptions options) {
        applicationStart(name, options.withMode(ApplicationMode.PERMANENT));
    }

    default void applicationStartTransient(String name, ApplicationOptions options) {
        applicationStart(name, options.withMode(ApplicationMode.TRANSIENT));
    }

    default void applicationStartTemporary(String name, ApplicationOptions options) {
        applicationStart(name, options.withMode(ApplicationMode.TEMPORARY));
    }

    void applicationStop(String name);

    void applicationUnload(String name);

    ApplicationInfo applicationInfo(String name);

    /** Changes the weight of a loaded application at run time (drain with 0, canary with a small weight). */
    void applicationSetWeight(String name, int weight);

    List<ApplicationInfo> applications();

    /** Tells {@code listener} about application state and weight changes; the registrar publishes them. */
    void addApplicationListener(ApplicationListener listener);

    // --- events ---

    /** Registers an event produced by the node itself. */
    Ref registerEvent(String name, EventOptions options);

    void unregisterEvent(String name);

    void sendEvent(String name, Ref token, Object message);

    // --- environment, logging, lifecycle ---

    /** The node's environment variable {@code name}; null when it is not set. */
    @Nullable
    Object env(String name);

    /** Sets the node's environment variable {@code name}; null removes it. */
    void setEnv(String name, @Nullable Object value);

    org.slf4j.Logger log();

    /** Stops every process (shutdown reason), then the node. Waits for it. */
    void stop();

    /** Kills every process without waiting for handlers, then stops the node. */
    void stopForce();

    /** Blocks until the node has stopped. */
    void await() throws InterruptedException;

    boolean await(Duration timeout) throws InterruptedException;
}
