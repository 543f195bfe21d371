package services.ergo.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
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
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.Alias;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationListener;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.Compression;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageDownNode;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageDownProcessId;
import services.ergo.gen.MessageExit;
import services.ergo.gen.MessageExitProcessId;
import services.ergo.gen.MessagePriority;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeInfo;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NodeStoppedException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * The node: its process table, names and aliases, the routing of every message, and its lifecycle.
 *
 * <p>Send path: resolve the target in a hash map keyed by the {@link Pid} the sender already holds (no
 * allocation), put one envelope in its queue, and wake the process with one CAS if it slept.
 */
public final class LocalNode implements Node {
    /** The process whose handler runs on this thread, if any. */
    static final ThreadLocal<LocalProcess> CURRENT = new ThreadLocal<>();

    private static final Logger LOG = LoggerFactory.getLogger(LocalNode.class);
    private static final long STOP_GRACE_MILLIS = 5_000;

    final String name;
    final long creation;
    final NodeOptions options;
    final long callSpinNanos;
    final Scheduler scheduler;
    final Timers timers;
    final EventManager events;
    final ApplicationManager applications;
    private final Pid corePid;
    private final long startedMillis = System.currentTimeMillis();

    private final ConcurrentHashMap<Pid, LocalProcess> processes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LocalProcess> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Alias, LocalProcess> aliases = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Ref, CallWaiter> pendingCalls = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Object> env = new ConcurrentHashMap<>();
    private final AtomicLong processSeq = new AtomicLong(1000);
    private final AtomicLong refSeq = new AtomicLong();
    private final LongAdder spawned = new LongAdder();
    /** Sends and calls that failed at the sender (unknown process, full mailbox, no connection, timeout). */
    private final LongAdder sendErrors = new LongAdder();

    private final LongAdder callErrors = new LongAdder();
    private final LongAdder terminated = new LongAdder();

    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object drained = new Object();
    private volatile boolean alive = true;
    private volatile RemoteRouter remote;
    private volatile Thread stopThread;
    private volatile services.ergo.gen.Network network;

    private LocalNode(String name, NodeOptions options) {
        this.name = name;
        this.options = options;
        this.creation =
                System.currentTimeMillis() * 1000 + ThreadLocalRandom.current().nextInt(1000);
        this.callSpinNanos = options.callSpin().toNanos();
        this.corePid = new Pid(name, 1, creation);
        this.env.putAll(options.env());
        this.scheduler = new Scheduler(
                name,
                options.schedulerThreads(),
                options.maxSchedulerThreads(),
                options.messagesPerTurn(),
                options.idleSpin().toNanos());
        this.timers = new Timers(name);
        this.events = new EventManager(this);
        this.applications = new ApplicationManager(this);
    }

    /** Starts a node; see {@link services.ergo.Ergo#startNode}. */
    public static LocalNode start(String name, NodeOptions options) {
        validateName(name);
        LocalNode node = new LocalNode(name, options);
        node.scheduler.start();
        LOG.info("node {} started ({} scheduler threads)", name, options.schedulerThreads());
        return node;
    }

    static void validateName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("node name is required, as name@host");
        }
        int at = name.indexOf('@');
        if (at <= 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0) {
            throw new IllegalArgumentException("node name must be name@host, got '" + name + "'");
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
    public services.ergo.gen.Network network() {
        services.ergo.gen.Network n = network;
        if (n == null) {
            throw new NotAllowedException("the network of " + name + " is off; start the node with "
                    + "NodeOptions.builder().network(NetworkOptions.on())");
        }
        return n;
    }

    /** Called once by the network as it starts: from now on, targets on other nodes go through it. */
    public void attachNetwork(services.ergo.gen.Network network, RemoteRouter router) {
        this.network = network;
        this.remote = router;
    }

    public NodeOptions options() {
        return options;
    }

    @Override
    public long uptimeMillis() {
        return System.currentTimeMillis() - startedMillis;
    }

    Ref makeRef() {
        return new Ref(name, refSeq.incrementAndGet(), creation);
    }

    // ------------------------------------------------------------------ spawning

    @Override
    public Pid spawn(ProcessFactory factory, ProcessOptions options, Object... args) {
        return spawn(null, null, factory, options, null, args);
    }

    @Override
    public Pid spawnRegister(String registerAs, ProcessFactory factory, ProcessOptions options, Object... args) {
        if (registerAs == null || registerAs.isEmpty()) {
            throw new IllegalArgumentException("spawnRegister needs a name");
        }
        return spawn(null, registerAs, factory, options, null, args);
    }

    Pid spawn(
            LocalProcess parent,
            String registerAs,
            ProcessFactory factory,
            ProcessOptions processOptions,
            String application,
            Object... args) {
        if (!alive || stopping.get()) {
            throw new NodeStoppedException(name);
        }
        if (factory == null) {
            throw new IllegalArgumentException("spawn needs a process factory");
        }
        ProcessOptions opts = processOptions == null ? ProcessOptions.defaults() : processOptions;
        ProcessBehavior behavior = factory.create();
        if (behavior == null) {
            throw new IllegalArgumentException("the process factory returned null");
        }
        Pid parentPid = parent == null ? corePid : parent.pid;
        Pid leader = parent == null ? corePid : parent.leader;
        Pid pid = new Pid(name, processSeq.incrementAndGet(), creation);
        LocalProcess p = new LocalProcess(this, pid, behavior, parentPid, leader, application, opts);
        if (registerAs != null) {
            if (names.putIfAbsent(registerAs, p) != null) {
                throw new NameTakenException(registerAs);
            }
            p.setName(registerAs);
        }
        processes.put(pid, p);
        spawned.increment();
        Throwable failure = p.init(args == null ? new Object[0] : args);
        if (failure != null) {
            p.initFailed(Reason.error(failure));
            if (failure instanceof ErgoException ee && ee.getCause() == null) {
                throw new ErgoException("init of " + behavior.getClass().getName() + " failed: " + ee.getMessage(), ee);
            }
            throw new ErgoException("init of " + behavior.getClass().getName() + " failed: " + failure, failure);
        }
        if (opts.linkParent() && parent != null) {
            link(p, parentPid);
        }
        p.startRunning();
        return pid;
    }

    /** Called once for each process that ended, from the thread that ended it. */
    void processEnded(LocalProcess p, Reason reason) {
        processes.remove(p.pid, p);
        String n = p.name();
        if (n != null) {
            names.remove(n, p);
        }
        for (Alias a : p.aliases()) {
            aliases.remove(a, p);
        }
        terminated.increment();
        events.processEnded(p.pid, reason);
        if (p.application != null) {
            applications.memberEnded(p, reason);
        }
        if (stopping.get() && processes.isEmpty()) {
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    // ------------------------------------------------------------------ names and aliases

    @Override
    public void registerName(String registerAs, Pid pid) {
        if (registerAs == null || registerAs.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        LocalProcess p = processes.get(pid);
        if (p == null) {
            throw new ProcessUnknownException(pid);
        }
        if (p.name() != null) {
            throw new NotAllowedException(pid + " is already registered as '" + p.name() + "'");
        }
        if (names.putIfAbsent(registerAs, p) != null) {
            throw new NameTakenException(registerAs);
        }
        p.setName(registerAs);
    }

    @Override
    public void unregisterName(String registered) {
        LocalProcess p = names.remove(registered);
        if (p == null) {
            throw new ProcessUnknownException(registered);
        }
        p.setName(null);
    }

    @Override
    public Pid whereIs(String registered) {
        LocalProcess p = names.get(registered);
        return p == null ? null : p.pid;
    }

    Alias createAlias(LocalProcess p) {
        Alias alias = new Alias(name, refSeq.incrementAndGet(), creation);
        aliases.put(alias, p);
        return alias;
    }

    void deleteAlias(Alias alias) {
        aliases.remove(alias);
    }

    // ------------------------------------------------------------------ routing

    /** Finds the local process for a target; null when it is local and unknown. */
    LocalProcess resolve(Object to) {
        if (to instanceof Pid p) {
            if (isLocal(p.node())) {
                return processes.get(p);
            }
            throw noNetwork(p.node());
        }
        if (to instanceof String s) {
            return names.get(s);
        }
        if (to instanceof ProcessId id) {
            if (isLocal(id.node())) {
                return names.get(id.name());
            }
            throw noNetwork(id.node());
        }
        if (to instanceof Alias a) {
            if (isLocal(a.node())) {
                return aliases.get(a);
            }
            throw noNetwork(a.node());
        }
        if (to == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        throw new IllegalArgumentException("cannot address a " + to.getClass().getName()
                + "; use a Pid, ProcessId, registered name (String) or Alias");
    }

    private NoConnectionException noNetwork(String node) {
        return new NoConnectionException(node, "the network is not enabled on " + name);
    }

    /** Links and monitors across nodes are made by pid or by name; the remote node resolves the name. */
    private static Object remoteForm(Object target) {
        if (target instanceof Pid || target instanceof ProcessId) {
            return target;
        }
        throw new NotAllowedException(
                "link and monitor a process on another node by its Pid or ProcessId, not by " + target);
    }

    /** The node a target lives on when that is not this one; null for local targets and plain names. */
    String remoteNodeOf(Object to) {
        String n = to instanceof Pid p
                ? p.node()
                : to instanceof ProcessId id ? id.node() : to instanceof Alias a ? a.node() : null;
        return n == null || isLocal(n) ? null : n;
    }

    private RemoteRouter remote(String node) {
        RemoteRouter r = remote;
        if (r == null) {
            throw noNetwork(node);
        }
        return r;
    }

    private boolean isLocal(String node) {
        return node == name || node.equals(name);
    }

    void route(Pid from, Object to, Envelope e, int queue) {
        route(from, to, e, queue, null);
    }

    /** Routes {@code e}; {@code compression}, the sender's, applies when it goes to another node. */
    void route(Pid from, Object to, Envelope e, int queue, Compression compression) {
        try {
            routeUncounted(from, to, e, queue, compression);
        } catch (ErgoException failed) {
            (e.kind == Envelope.REQUEST ? callErrors : sendErrors).increment();
            throw failed;
        }
    }

    /** Waits for a call's answer (or an important send's delivery), counting what fails. */
    Object awaitCall(CallWaiter w, Object to, Duration timeout, boolean call) {
        try {
            return w.await(to, timeout, callSpinNanos);
        } catch (ErgoException failed) {
            (call ? callErrors : sendErrors).increment();
            throw failed;
        }
    }

    private void routeUncounted(Pid from, Object to, Envelope e, int queue, Compression compression) {
        String node = remoteNodeOf(to);
        if (node != null) {
            remote(node).route(node, from, to, e.kind, e.message, e.ref(), queue, compression);
            return;
        }
        LocalProcess target = resolve(to);
        if (target == null) {
            if (corePid.equals(to)) {
                deliverToCore(e);
                return;
            }
            throw new ProcessUnknownException(to);
        }
        target.deliver(e, queue);
    }

    private void deliverToCore(Envelope e) {
        if (e.kind == Envelope.REQUEST) {
            respond(corePid, e.from, e.ref(), null, new NotAllowedException("the node's core process takes no calls"));
        } else {
            LOG.debug("node {}: message to the core process from {} dropped: {}", name, e.from, e.message);
        }
    }

    void respond(Pid from, Pid to, Ref ref, Object value, ErgoException error) {
        if (to == null || ref == null) {
            return;
        }
        if (to.equals(corePid)) {
            CallWaiter w = pendingCalls.remove(ref);
            if (w != null) {
                w.complete(value, error);
            }
            return;
        }
        if (!isLocal(to.node())) {
            RemoteRouter r = remote;
            if (r != null) {
                r.respond(to.node(), from, to, ref, value, error);
            }
            return;
        }
        LocalProcess p = processes.get(to);
        if (p != null) {
            p.deliverResponse(from, ref, value, error);
        }
    }

    void sendExitSignal(Pid from, Pid to, Reason reason) {
        sendExitSignal(from, to, reason, null);
    }

    /**
     * An exit signal to {@code to}: a Pid, or a ProcessId on another node (a link made by name). {@code fromName} is
     * the sender's registered name, for processes elsewhere that linked to it by name.
     */
    void sendExitSignal(Pid from, Object to, Reason reason, String fromName) {
        String toNode = Relations.nodeOf(to);
        if (!isLocal(toNode)) {
            RemoteRouter r = remote;
            if (r != null) {
                r.exit(toNode, from, to, reason, fromName);
            }
            return;
        }
        if (!(to instanceof Pid)) {
            return;
        }
        LocalProcess p = processes.get((Pid) to);
        if (p == null) {
            return;
        }
        try {
            p.deliver(new Envelope(Envelope.EXIT, from, reason, null), LocalProcess.QUEUE_URGENT);
        } catch (ProcessUnknownException ignored) {
            // it ended meanwhile
        }
    }

    void sendDown(Pid from, Pid owner, Ref ref, Object form, Reason reason) {
        if (!isLocal(owner.node())) {
            RemoteRouter r = remote;
            if (r != null) {
                r.down(owner.node(), from, owner, ref, reason);
            }
            return;
        }
        LocalProcess p = processes.get(owner);
        if (p == null) {
            return;
        }
        Relations r = p.relationsOrNull();
        Object held = r == null ? null : r.removeHeldByRef(ref);
        if (held != null) {
            form = held; // the owner's own form: a monitor made by name on another node comes back as a ProcessId
        }
        Object message = form instanceof ProcessId id
                ? new MessageDownProcessId(id, ref, reason)
                : new MessageDownPid(from, ref, reason);
        try {
            p.deliver(new Envelope(Envelope.MESSAGE, from, message, null), LocalProcess.QUEUE_SYSTEM);
        } catch (ProcessUnknownException ignored) {
            // the monitoring process ended meanwhile
        }
    }

    /** Drops a monitor held on {@code target}: a Pid, or a ProcessId on another node. */
    void dropMonitor(Object target, Ref ref) {
        String targetNode = Relations.nodeOf(target);
        if (!isLocal(targetNode)) {
            RemoteRouter r = remote;
            if (r != null) {
                r.demonitor(targetNode, corePid, target, ref);
            }
            return;
        }
        if (!(target instanceof Pid)) {
            return;
        }
        LocalProcess p = processes.get((Pid) target);
        if (p != null) {
            Relations r = p.relationsOrNull();
            if (r != null) {
                r.removeMonitoredBy(ref);
            }
        }
    }

    // ------------------------------------------------------------------ links and monitors

    private Object form(Object target) {
        if (target instanceof String s) {
            return new ProcessId(s, name);
        }
        return target;
    }

    private LocalProcess resolveExisting(Object target) {
        LocalProcess t = resolve(target);
        if (t == null || !t.isAlive()) {
            throw new ProcessUnknownException(target);
        }
        return t;
    }

    void link(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            events.subscribe(self.pid, event, true);
            return;
        }
        String node = remoteNodeOf(target);
        if (node != null) {
            Object remoteForm = remoteForm(target);
            remote(node).link(node, self.pid, remoteForm);
            if (!self.relations().addLink(remoteForm, remoteForm)) {
                remote(node).exit(node, self.pid, remoteForm, Reason.KILL, null);
            }
            return;
        }
        LocalProcess t = resolveExisting(target);
        if (t == self) {
            return;
        }
        if (!t.relations().addLink(self.pid, self.pid)) {
            throw new ProcessUnknownException(target);
        }
        if (!self.relations().addLink(t.pid, form(target))) {
            // we were killed meanwhile: our end was already announced, so announce it to the newcomer too
            t.relations().removeLink(self.pid);
            sendExitSignal(self.pid, t.pid, Reason.KILL);
        }
    }

    void unlink(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            events.unsubscribe(self.pid, event);
            return;
        }
        String node = remoteNodeOf(target);
        if (node != null) {
            Object remoteForm = remoteForm(target);
            self.relations().removeLink(remoteForm);
            remote(node).unlink(node, self.pid, remoteForm);
            return;
        }
        LocalProcess t = resolve(target);
        if (t == null) {
            return;
        }
        self.relations().removeLink(t.pid);
        Relations r = t.relationsOrNull();
        if (r != null) {
            r.removeLink(self.pid);
        }
    }

    Ref monitor(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            return events.subscribeRef(self.pid, event);
        }
        Object form = form(target);
        Relations.Held held = self.relations().heldMonitor(form);
        if (held != null) {
            return held.ref();
        }
        String node = remoteNodeOf(target);
        if (node != null) {
            Object remoteForm = remoteForm(target);
            Ref ref = makeRef();
            self.relations().addHeld(remoteForm, new Relations.Held(ref, remoteForm instanceof Pid p ? p : null));
            remote(node).monitor(node, self.pid, remoteForm, ref);
            return ref;
        }
        LocalProcess t = resolveExisting(target);
        Ref ref = makeRef();
        if (!t.relations().addMonitoredBy(ref, self.pid, form)) {
            throw new ProcessUnknownException(target);
        }
        self.relations().addHeld(form, new Relations.Held(ref, t.pid));
        return ref;
    }

    void demonitor(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            events.unsubscribe(self.pid, event);
            return;
        }
        Object form = form(target);
        Relations.Held held = self.relations().removeHeld(form);
        if (held != null) {
            dropMonitor(held.pid() != null ? held.pid() : form, held.ref());
        }
    }

    Ref monitorNode(LocalProcess self, String node) {
        if (node == null || isLocal(node)) {
            throw new IllegalArgumentException("monitorNode is for other nodes, got " + node);
        }
        Ref held = self.relations().nodeMonitor(node);
        if (held != null) {
            return held;
        }
        remote(node).connect(node);
        Ref ref = makeRef();
        if (!self.relations().addNodeMonitor(node, ref)) {
            throw new ProcessUnknownException(self.pid);
        }
        return self.relations().nodeMonitor(node);
    }

    void demonitorNode(LocalProcess self, String node) {
        self.relations().removeNodeMonitor(node);
    }

    // ------------------------------------------------------------------ node-level messaging

    @Override
    public void send(Object to, Object message) {
        route(corePid, to, new Envelope(Envelope.MESSAGE, corePid, message, null), LocalProcess.QUEUE_MAIN);
    }

    @Override
    public void sendWithPriority(Object to, Object message, MessagePriority priority) {
        route(corePid, to, new Envelope(Envelope.MESSAGE, corePid, message, null), LocalProcess.queueFor(priority));
    }

    @Override
    public Object call(Object to, Object request) {
        return call(to, request, options.callTimeout());
    }

    @Override
    public Object call(Object to, Object request, Duration timeout) {
        Ref ref = makeRef();
        CallWaiter w = new CallWaiter(ref);
        w.remoteNode = remoteNodeOf(to);
        pendingCalls.put(ref, w);
        try {
            route(corePid, to, Envelope.request(corePid, request, w), LocalProcess.QUEUE_MAIN);
            return awaitCall(w, to, timeout, true);
        } finally {
            pendingCalls.remove(ref);
        }
    }

    @Override
    public void sendImportant(Object to, Object message) {
        String remoteNode = remoteNodeOf(to);
        if (remoteNode == null) {
            send(to, message);
            return;
        }
        CallWaiter w = new CallWaiter(makeRef());
        w.remoteNode = remoteNode;
        pendingCalls.put(w.ref, w);
        try {
            route(corePid, to, Envelope.important(corePid, message, w), LocalProcess.QUEUE_MAIN);
            awaitCall(w, to, options.callTimeout(), false);
        } finally {
            pendingCalls.remove(w.ref);
        }
    }

    @Override
    public void sendExit(Pid to, Reason reason) {
        if (resolve(to) == null) {
            throw new ProcessUnknownException(to);
        }
        sendExitSignal(corePid, to, reason);
    }

    @Override
    public void kill(Pid pid) {
        LocalProcess p = resolve(pid);
        if (p == null || !p.kill()) {
            throw new ProcessUnknownException(pid);
        }
    }

    @Override
    public Map<String, String> inspect(Pid pid, String... items) {
        LocalProcess p = resolve(pid);
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
                LocalProcess.QUEUE_URGENT);
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
        LocalProcess p = resolve(pid);
        if (p == null) {
            throw new ProcessUnknownException(pid);
        }
        return p.info();
    }

    @Override
    public List<ProcessShortInfo> processList(long startId, int limit) {
        List<LocalProcess> list = new ArrayList<>();
        for (LocalProcess p : processes.values()) {
            if (p.pid.id() >= startId) {
                list.add(p);
            }
        }
        list.sort(Comparator.comparingLong(p -> p.pid.id()));
        List<ProcessShortInfo> out = new ArrayList<>(Math.min(limit, list.size()));
        for (int i = 0; i < list.size() && out.size() < limit; i++) {
            out.add(list.get(i).shortInfo());
        }
        return out;
    }

    /** Every local process, unordered; for introspection. */
    List<LocalProcess> processesSnapshot() {
        return new ArrayList<>(processes.values());
    }

    @Override
    public NodeInfo info() {
        Runtime rt = Runtime.getRuntime();
        return new NodeInfo(
                name,
                creation,
                uptimeMillis(),
                processes.size(),
                scheduler.runningProcesses(),
                spawned.sum(),
                terminated.sum(),
                applications.total(),
                applications.running(),
                events.total(),
                events.published(),
                scheduler.threads(),
                rt.totalMemory(),
                rt.totalMemory() - rt.freeMemory(),
                sendErrors.sum(),
                callErrors.sum());
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

    /** Delivers one published event message to a subscriber. */
    void deliverEvent(Pid subscriber, Object messageEvent) {
        LocalProcess p = processes.get(subscriber);
        if (p != null) {
            try {
                p.deliver(new Envelope(Envelope.EVENT, corePid, messageEvent, null), LocalProcess.QUEUE_MAIN);
            } catch (ErgoException e) {
                LOG.debug("event message to {} not delivered: {}", subscriber, e.getMessage());
            }
        }
    }

    /** Delivers a plain message from {@code from} on the system queue, ignoring an ended target. */
    void deliverSystem(Pid from, Pid to, Object message) {
        LocalProcess p = processes.get(to);
        if (p != null) {
            try {
                p.deliver(new Envelope(Envelope.MESSAGE, from, message, null), LocalProcess.QUEUE_SYSTEM);
            } catch (ErgoException e) {
                LOG.debug("system message to {} not delivered: {}", to, e.getMessage());
            }
        }
    }

    /** Delivers an exit signal carrying a ready-made exit message (an event's end, a node's loss). */
    void deliverSystemExit(Pid from, Pid to, MessageExit message, Reason reason) {
        LocalProcess p = processes.get(to);
        if (p != null) {
            try {
                p.deliver(new Envelope(Envelope.EXIT, from, message, null), LocalProcess.QUEUE_URGENT);
            } catch (ProcessUnknownException ignored) {
                // it ended meanwhile
            }
        }
    }

    // ------------------------------------------------------------------ from the network

    /**
     * A message or request from another node. An unknown target or a full mailbox is answered to a caller at once;
     * for a plain message it is thrown back to the network, which counts it.
     */
    public void deliverFromRemote(byte kind, Pid from, Object to, Object message, Ref ref, int queue) {
        LocalProcess target = resolve(to);
        try {
            if (target == null) {
                throw new ProcessUnknownException(to);
            }
            target.deliver(new Envelope(kind, from, message, ref), queue);
        } catch (ErgoException e) {
            if (kind == Envelope.REQUEST) {
                respond(corePid, from, ref, null, e);
                return;
            }
            throw e;
        }
    }

    /**
     * Sends a request built around a fresh reference (by {@code send}) on behalf of the node itself, and waits for
     * its answer: what the network uses for remote spawn and application start.
     */
    public Object awaitAnswer(String node, java.util.function.Consumer<Ref> send, Object target, Duration timeout) {
        Ref ref = makeRef();
        CallWaiter w = new CallWaiter(ref);
        w.remoteNode = node;
        pendingCalls.put(ref, w);
        try {
            send.accept(ref);
            return awaitCall(w, target, timeout, true);
        } finally {
            pendingCalls.remove(ref);
        }
    }

    /** The answer to a call this node made. */
    public void respondFromRemote(Pid from, Pid to, Ref ref, Object value, ErgoException error) {
        respond(from, to, ref, value, error);
    }

    /**
     * An exit signal from a process on another node, to a local Pid or registered name. {@code fromName}, when
     * given, is the name the sender was registered under: a local process linked to it by that name gets a
     * {@link MessageExitProcessId}.
     */
    public void exitFromRemote(Pid from, Object to, Reason reason, String fromName) {
        LocalProcess p = resolveFromRemote(to);
        if (p == null) {
            return;
        }
        if (!(to instanceof Pid)) {
            // by name only along a link made by name: a peer cannot end a named process it is not linked to
            Relations r = p.relationsOrNull();
            if (r == null || r.linkForm(from) == null) {
                return;
            }
        }
        if (fromName != null) {
            Relations r = p.relationsOrNull();
            ProcessId byName = new ProcessId(fromName, from.node());
            if (r != null && r.removeLink(byName) != null) {
                try {
                    p.deliver(
                            new Envelope(Envelope.EXIT, from, new MessageExitProcessId(byName, reason), null),
                            LocalProcess.QUEUE_URGENT);
                } catch (ProcessUnknownException ignored) {
                    // it ended meanwhile
                }
                return;
            }
        }
        sendExitSignal(from, p.pid, reason);
    }

    /** A Pid or a local registered name, as another node names it; null when nobody is there. */
    private LocalProcess resolveFromRemote(Object target) {
        if (target instanceof Pid p) {
            return processes.get(p);
        }
        if (target instanceof ProcessId id && isLocal(id.node())) {
            return names.get(id.name());
        }
        return null;
    }

    /**
     * A process on another node links to a local one (by Pid or name); an unknown one answers with exit
     * {@code noproc}, from the name when the link was made by name.
     */
    public void linkFromRemote(Pid from, Object to) {
        LocalProcess t = resolveFromRemote(to);
        if (t == null || !t.relations().addLink(from, from)) {
            sendExitSignal(
                    t != null ? t.pid : corePid,
                    from,
                    Reason.NO_PROCESS,
                    to instanceof ProcessId id ? id.name() : null);
        }
    }

    public void unlinkFromRemote(Pid from, Object to) {
        LocalProcess t = resolveFromRemote(to);
        Relations r = t == null ? null : t.relationsOrNull();
        if (r != null) {
            r.removeLink(from);
        }
    }

    /** A process on another node monitors a local one (by Pid or name); an unknown one answers with down {@code noproc}. */
    public void monitorFromRemote(Pid from, Object to, Ref ref) {
        LocalProcess t = resolveFromRemote(to);
        if (t == null || !t.relations().addMonitoredBy(ref, from, to)) {
            sendDown(t != null ? t.pid : corePid, from, ref, to, Reason.NO_PROCESS);
        }
    }

    public void demonitorFromRemote(Object to, Ref ref) {
        LocalProcess t = resolveFromRemote(to);
        Relations r = t == null ? null : t.relationsOrNull();
        if (r != null) {
            r.removeMonitoredBy(ref);
        }
    }

    /** A process this node monitors on another node ended. */
    public void downFromRemote(Pid from, Pid owner, Ref ref, Reason reason) {
        sendDown(from, owner, ref, from, reason);
    }

    /**
     * The connection to {@code node} is lost: every local process linked to a process there gets an exit signal,
     * every one monitoring a process there a down message, both with reason {@code noconnection}; what processes
     * there held on local ones is forgotten; calls waiting for an answer from there fail at once.
     */
    public void nodeDown(String node) {
        NoConnectionException lost =
                new NoConnectionException(node, "the connection was lost while waiting for the answer");
        for (CallWaiter w : pendingCalls.values()) {
            if (node.equals(w.remoteNode)) {
                w.complete(null, lost);
            }
        }
        for (LocalProcess p : processesSnapshot()) {
            p.failCallTo(node);
            Relations r = p.relationsOrNull();
            if (r == null) {
                continue;
            }
            // forget everything about that node first: a process that ends on the first of these notifications must
            // find nothing left to tell the node, or it would dial it again
            List<Object> links = r.removeLinksOn(node);
            Map<Object, Relations.Held> held = r.removeHeldOn(node);
            r.removeMonitoredByOn(node);
            Ref nodeRef = r.removeNodeMonitor(node);
            for (Object linked : links) {
                Envelope exit = linked instanceof Pid pid
                        ? new Envelope(Envelope.EXIT, pid, Reason.NO_CONNECTION, null)
                        : new Envelope(
                                Envelope.EXIT,
                                corePid,
                                new MessageExitProcessId((ProcessId) linked, Reason.NO_CONNECTION),
                                null);
                deliverQuietly(p, exit, LocalProcess.QUEUE_URGENT);
            }
            held.forEach((form, h) -> {
                Object down = form instanceof ProcessId id
                        ? new MessageDownProcessId(id, h.ref(), Reason.NO_CONNECTION)
                        : new MessageDownPid(h.pid(), h.ref(), Reason.NO_CONNECTION);
                deliverQuietly(
                        p,
                        new Envelope(Envelope.MESSAGE, h.pid() != null ? h.pid() : corePid, down, null),
                        LocalProcess.QUEUE_SYSTEM);
            });
            if (nodeRef != null) {
                deliverQuietly(
                        p,
                        new Envelope(
                                Envelope.MESSAGE,
                                corePid,
                                new MessageDownNode(node, nodeRef, Reason.NO_CONNECTION),
                                null),
                        LocalProcess.QUEUE_SYSTEM);
            }
        }
    }

    private static void deliverQuietly(LocalProcess p, Envelope e, int queue) {
        try {
            p.deliver(e, queue);
        } catch (ProcessUnknownException ignored) {
            // ended meanwhile
        }
    }

    // ------------------------------------------------------------------ env and log

    @Override
    public Object env(String key) {
        return env.get(key);
    }

    @Override
    public void setEnv(String key, Object value) {
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
                for (LocalProcess p : processesSnapshot()) {
                    sendExitSignal(corePid, p.pid, Reason.SHUTDOWN);
                }
                long deadline = System.currentTimeMillis() + STOP_GRACE_MILLIS;
                synchronized (drained) {
                    while (!processes.isEmpty() && System.currentTimeMillis() < deadline) {
                        drained.wait(Math.max(1, Math.min(50, deadline - System.currentTimeMillis())));
                    }
                }
                if (!processes.isEmpty()) {
                    LOG.warn(
                            "node {}: {} processes did not end within {} ms; killing them",
                            name,
                            processes.size(),
                            STOP_GRACE_MILLIS);
                }
            }
            for (LocalProcess p : processesSnapshot()) {
                p.kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            alive = false;
            for (CallWaiter w : pendingCalls.values()) {
                w.complete(null, new NodeStoppedException(name));
            }
            RemoteRouter r = remote;
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
