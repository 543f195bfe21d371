package services.ergo.node;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationListener;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.ErgoException;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessagePriority;
import services.ergo.gen.Network;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NodeStoppedException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * The node: the {@link Node} façade over its parts, and its lifecycle. The parts are {@link ProcessTable} (spawn,
 * names, aliases), {@link Router} (every message, answer and signal, links and monitors), {@link RemoteInbound}
 * (the {@link Core} the network calls into), {@link ApplicationManager} and {@link EventManager}. Nothing here is
 * public beyond {@link Node} and {@link #start}: the network reaches the node only through {@link Core}.
 */
public final class LocalNode implements Node {
    /** The process whose handler runs on this thread, if any. */
    static final ThreadLocal<@Nullable LocalProcess> CURRENT = new ThreadLocal<>();

    private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
    private static final long STOP_GRACE_MILLIS = 5_000;

    final String name;
    final long creation;
    final NodeOptions options;
    final Scheduler scheduler;
    final Timers timers;
    final EventManager events;
    final ApplicationManager applications;
    final ProcessTable table;
    final Router router;
    private final RemoteInbound core;
    private final Pid corePid;
    private final long startedMillis = System.currentTimeMillis();

    private final ConcurrentHashMap<String, Object> env = new ConcurrentHashMap<>();
    private final AtomicLong refSeq = new AtomicLong();

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object drained = new Object();
    private volatile boolean alive = true;
    private volatile @Nullable Thread stopThread;
    /** Null while the node runs without its network. */
    private volatile @Nullable Network network;

    private LocalNode(String name, NodeOptions options) {
        this.name = name;
        this.options = options;
        this.creation =
                System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000);
        this.corePid = new Pid(name, 1, creation);
        this.env.putAll(options.env());
        this.scheduler = new Scheduler(
                name,
                options.schedulerThreads(),
                options.maxSchedulerThreads(),
                options.messagesPerTurn(),
                options.idleSpin().toNanos());
        this.timers = new Timers(name);
        this.table = new ProcessTable(this);
        this.router = new Router(this, table);
        this.core = new RemoteInbound(this, router);
        this.events = new EventManager(this);
        this.applications = new ApplicationManager(this);
    }

    /**
     * Starts a node; see {@link services.ergo.Ergo#startNode}. {@code network}, when given, starts the network on
     * the node's {@link Core}; if it fails, the node is stopped again and the failure thrown.
     */
    public static Node start(String name, NodeOptions options, @Nullable Consumer<Core> network) {
        validateName(name);
        LocalNode node = new LocalNode(name, options);
        node.scheduler.start();
        LOG.info("node {} started ({} scheduler threads)", name, options.schedulerThreads());
        if (network != null) {
            try {
                network.accept(node.core);
            } catch (RuntimeException e) {
                node.stopForce();
                throw e;
            }
        }
        return node;
    }

    static void validateName(@Nullable String name) {
        if (name == null) {
            throw new IllegalArgumentException("node name is required, as name@host");
        }
        if (!services.ergo.gen.NodeNames.isValid(name)) {
            throw new IllegalArgumentException("node name must be name@host (letters, digits and _ . + - before the"
                    + " @, a host name or address after it, at most 255 characters), got '"
                    + services.ergo.gen.NodeNames.printable(name) + "'");
        }
    }

    // ------------------------------------------------------------------ identity

    @Override
    public String name() {
        return name;
    }

    @Override
    public long creation() {
        return creation;
    }

    @Override
    public Pid corePid() {
        return corePid;
    }

    @Override
    public boolean isAlive() {
        return alive;
    }

    @Override
    public Network network() {
        Network n = network;
        if (n == null) {
            throw new NotAllowedException("the network of " + name + " is off; start the node with "
                    + "NodeOptions.builder().network(NetworkOptions.on())");
        }
        return n;
    }

    /** Called once by the network as it starts, through {@link Core#attachNetwork}. */
    void attachNetwork(Network network, RemoteRouter remote) {
        this.network = network;
        router.attach(remote);
    }

    @Override
    public long uptimeMillis() {
        return System.currentTimeMillis() - startedMillis;
    }

    Ref makeRef() {
        return new Ref(name, nextRefId(), creation);
    }

    /** References and aliases share one sequence, so no alias ever equals a reference's id. */
    long nextRefId() {
        return refSeq.incrementAndGet();
    }

    // ------------------------------------------------------------------ processes

    @Override
    public Pid spawn(ProcessFactory factory, ProcessOptions options, Object... args) {
        return table.spawn(null, null, factory, options, null, args);
    }

    @Override
    public Pid spawnRegister(String registerAs, ProcessFactory factory, ProcessOptions options, Object... args) {
        if (registerAs == null || registerAs.isEmpty()) {
            throw new IllegalArgumentException("spawnRegister needs a name");
        }
        return table.spawn(null, registerAs, factory, options, null, args);
    }

    /** What the rest of the node learns of a process's end, after the table forgot it. */
    void processEnded(LocalProcess p, Reason reason) {
        events.processEnded(p.pid, reason);
        if (p.application != null) {
            applications.memberEnded(p, reason);
        }
        if (stopping.get() && table.isEmpty()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    @Override
    public void registerName(String registerAs, Pid pid) {
        table.registerName(registerAs, pid);
    }

    @Override
    public void unregisterName(String registered) {
        table.unregisterName(registered);
    }

    @Override
    public @Nullable Pid whereIs(String registered) {
        LocalProcess p = table.byName(registered);
        return p == null ? null : p.pid;
    }

    // ------------------------------------------------------------------ node-level messaging

    @Override
    public void send(Object to, Object message) {
        router.route(corePid, to, new Envelope(Envelope.MESSAGE, corePid, message, null), MailboxQueue.MAIN);
    }

    @Override
    public void sendWithPriority(Object to, Object message, MessagePriority priority) {
        router.route(corePid, to, new Envelope(Envelope.MESSAGE, corePid, message, null), MailboxQueue.of(priority));
    }

    @Override
    public @Nullable Object call(Object to, Object request) {
        return call(to, request, options.callTimeout());
    }

    @Override
    public @Nullable Object call(Object to, Object request, Duration timeout) {
        return router.callAsNode(to, request, timeout);
    }

    @Override
    public void sendImportant(Object to, Object message) {
        String remoteNode = router.remoteNodeOf(to);
        if (remoteNode == null) {
            send(to, message);
            return;
        }
        router.sendImportantAsNode(remoteNode, to, message, options.callTimeout());
    }

    @Override
    public void sendExit(Pid to, Reason reason) {
        if (router.resolve(to) == null) {
            throw new ProcessUnknownException(to);
        }
        router.sendExitSignal(corePid, to, reason);
    }

    @Override
    public void kill(Pid pid) {
        LocalProcess p = router.resolve(pid);
        if (p == null || !p.kill()) {
            throw new ProcessUnknownException(pid);
        }
    }

    @Override
    public Map<String, String> inspect(Pid pid, String... items) {
        LocalProcess p = router.resolve(pid);
        if (p == null) {
            throw new ProcessUnknownException(pid);
        }
        String[] what = items == null ? new String[0] : items;
        if (CURRENT.get() == p) {
            return p.behavior.processInspect(corePid, what);
        }
        CompletableFuture<Map<String, String>> reply = new CompletableFuture<>();
        p.deliver(
                new Envelope(Envelope.INSPECT, corePid, new LocalProcess.InspectRequest(reply, what), null),
                MailboxQueue.URGENT);
        // a process that inspects another (the Observer's inspector) blocks its worker meanwhile: tell the scheduler,
        // as a call does, so the inspected process still gets a worker when every other one is busy
        Thread t = Thread.currentThread();
        Scheduler blocked = t instanceof Scheduler.WorkerThread w ? w.worker.scheduler : null;
        if (blocked != null) {
            blocked.blockingBegin();
        }
        try {
            return reply.get(options.callTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new CallTimeoutException(pid, options.callTimeout());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ErgoException ee
                    ? ee
                    : new ErgoException("inspect of " + pid + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ErgoException("inspect interrupted");
        } finally {
            if (blocked != null) {
                blocked.blockingEnd();
            }
        }
    }

    @Override
    public ProcessInfo processInfo(Pid pid) {
        LocalProcess p = router.resolve(pid);
        if (p == null) {
            throw new ProcessUnknownException(pid);
        }
        return p.info();
    }

    @Override
    public List<ProcessShortInfo> processList(long startId, int limit) {
        return table.list(startId, limit);
    }

    @Override
    public NodeInfo info() {
        Runtime rt = Runtime.getRuntime();
        return new NodeInfo(
                name,
                creation,
                uptimeMillis(),
                table.size(),
                scheduler.runningProcesses(),
                table.spawned(),
                table.terminated(),
                applications.total(),
                applications.running(),
                events.total(),
                events.published(),
                scheduler.threads(),
                rt.totalMemory(),
                rt.totalMemory() - rt.freeMemory(),
                router.sendErrors(),
                router.callErrors());
    }

    // ------------------------------------------------------------------ applications

    @Override
    public String applicationLoad(ApplicationBehavior application, Object... args) {
        return applications.load(application, args);
    }

    @Override
    public void applicationStart(String application, ApplicationOptions applicationOptions) {
        applications.start(
                application, applicationOptions == null ? ApplicationOptions.defaults() : applicationOptions);
    }

    @Override
    public void applicationStop(String application) {
        applications.stop(application);
    }

    @Override
    public void applicationUnload(String application) {
        applications.unload(application);
    }

    @Override
    public ApplicationInfo applicationInfo(String application) {
        return applications.info(application);
    }

    @Override
    public void applicationSetWeight(String application, int weight) {
        applications.setWeight(application, weight);
    }

    @Override
    public List<ApplicationInfo> applications() {
        return applications.list();
    }

    @Override
    public void addApplicationListener(ApplicationListener listener) {
        applications.addListener(listener);
    }

    // ------------------------------------------------------------------ events

    @Override
    public Ref registerEvent(String eventName, EventOptions eventOptions) {
        return events.register(corePid, eventName, eventOptions);
    }

    @Override
    public void unregisterEvent(String eventName) {
        events.unregister(corePid, eventName);
    }

    @Override
    public void sendEvent(String eventName, Ref token, Object message) {
        events.publish(corePid, eventName, token, message);
    }

    // ------------------------------------------------------------------ env and log

    @Override
    public @Nullable Object env(String key) {
        return env.get(key);
    }

    @Override
    public void setEnv(String key, @Nullable Object value) {
        if (value == null) {
            env.remove(key);
        } else {
            env.put(key, value);
        }
    }

    Map<String, Object> envList() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(env));
    }

    @Override
    public Logger log() {
        return LOG;
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void stop() {
        if (Thread.currentThread() instanceof Scheduler.WorkerThread) {
            // a handler cannot wait for its own end: stop from another thread
            Thread t = new Thread(() -> shutdown(false), "ergo-" + name + "-stop");
            t.setDaemon(false);
            t.start();
            return;
        }
        shutdown(false);
    }

    @Override
    public void stopForce() {
        if (Thread.currentThread() instanceof Scheduler.WorkerThread) {
            Thread t = new Thread(() -> shutdown(true), "ergo-" + name + "-stop");
            t.start();
            return;
        }
        shutdown(true);
    }

    /** Whether the node is stopping or stopped: nothing should start a stop of its own then. */
    boolean isStopping() {
        return stopping.get();
    }

    private void shutdown(boolean force) {
        if (!stopping.compareAndSet(false, true)) {
            if (Thread.currentThread() == stopThread) {
                return; // the stop itself ended an application that would stop the node: it is already happening
            }
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        stopThread = Thread.currentThread();
        try {
            if (!force) {
                applications.stopAll();
                for (LocalProcess p : table.snapshot()) {
                    router.sendExitSignal(corePid, p.pid, Reason.SHUTDOWN);
                }
                long deadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
                synchronized (drained) {
                    while (!table.isEmpty() && System.currentTimeMillis() < deadline) {
                        drained.wait(Math.max(1, Math.min(50, deadline - System.currentTimeMillis())));
                    }
                }
                if (!table.isEmpty()) {
                    LOG.warn(
                            "node {}: {} processes did not end within {} ms; killing them",
                            name,
                            table.size(),
                            STOP_GRACE_MILLIS);
                }
            }
            for (LocalProcess p : table.snapshot()) {
                p.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            alive = false;
            router.failNodeCalls(null, new NodeStoppedException(name));
            RemoteRouter r = router.remoteOrNull();
            if (r != null) {
                r.stop();
            }
            scheduler.stop();
            timers.stop();
            try {
                scheduler.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            LOG.info("node {} stopped", name);
            stopped.countDown();
        }
    }

    @Override
    public void await() throws InterruptedException {
        stopped.await();
    }

    @Override
    public boolean await(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public String toString() {
        return "Node[" + name + "]";
    }
}
