package services.ergo.node;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.Alias;
import services.ergo.gen.CallResult;
import services.ergo.gen.CallTimeoutException;
import services.ergo.gen.Cancellable;
import services.ergo.gen.Compression;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessagePriority;
import services.ergo.gen.Node;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.Process;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.ProcessState;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * A process of this node as its behaviour sees it: the {@link Process} API (send, call, links, monitors, names,
 * events, spawn), its identity and its introspection. The mailbox ({@link ProcessMailbox}) and the run loop
 * ({@link ProcessCell}) are the classes it extends: one object per process.
 */
final class LocalProcess extends ProcessCell implements Process {
    /** How deep calls may run their callees inline on one thread's stack before falling back to waking a worker. */
    static final int MAX_INLINE_DEPTH = 8;

    final Pid parent;
    final Pid leader;
    final @Nullable String application;
    private final long startedMillis = System.currentTimeMillis();

    /** Null when off, the common case: the send path then checks one field. */
    private @Nullable Compression compression;

    private volatile @Nullable Map<String, Object> env;
    private volatile @Nullable List<Alias> aliases;

    // touched only by the process's own thread
    private long messagesOut;
    private @Nullable Logger logger;
    private @Nullable String pidText;

    LocalProcess(
            LocalNode node,
            Pid pid,
            ProcessBehavior behavior,
            Pid parent,
            Pid leader,
            @Nullable String application,
            ProcessOptions options) {
        super(node, pid, behavior, options.mailboxSize());
        this.parent = parent;
        this.leader = leader;
        this.application = application;
        if (!options.env().isEmpty()) {
            this.env = new ConcurrentHashMap<>(options.env());
        }
    }

    private String pidText() {
        String t = pidText;
        if (t == null) {
            t = pid.toString();
            pidText = t;
        }
        return t;
    }

    private void checkOwnThread(String what) {
        if (LocalNode.CURRENT.get() != this) {
            throw new NotAllowedException(what + " is allowed only from the process's own handlers (" + pid + ")");
        }
    }

    // ------------------------------------------------------------------ Process API

    @Override
    public Pid pid() {
        return pid;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public @Nullable String name() {
        return name;
    }

    @Override
    public Pid parent() {
        return parent;
    }

    @Override
    public Pid leader() {
        return leader;
    }

    @Override
    public ProcessState state() {
        return switch (status) {
            case INIT -> ProcessState.INIT;
            case WAIT_RESPONSE -> ProcessState.WAIT_RESPONSE;
            case TERMINATED -> ProcessState.TERMINATED;
            case ZOMBIE -> ProcessState.ZOMBIE;
            default -> sched == RUNNING ? ProcessState.RUNNING : ProcessState.SLEEP;
        };
    }

    @Override
    public @Nullable String application() {
        return application;
    }

    @Override
    public void send(Object to, Object message) {
        node.router.route(pid, to, new Envelope(Envelope.MESSAGE, pid, message, null), MailboxQueue.MAIN, compression);
        messagesOut++;
    }

    @Override
    public void sendWithPriority(Object to, Object message, MessagePriority priority) {
        node.router.route(
                pid, to, new Envelope(Envelope.MESSAGE, pid, message, null), MailboxQueue.of(priority), compression);
        messagesOut++;
    }

    @Override
    public Cancellable sendAfter(Object to, Object message, Duration delay) {
        return node.timers.schedule(delay, () -> {
            if (isAlive()) {
                try {
                    node.router.route(
                            pid,
                            to,
                            new Envelope(Envelope.MESSAGE, pid, message, null),
                            MailboxQueue.MAIN,
                            compression);
                } catch (ErgoException e) {
                    log().debug("timer message from {} to {} not delivered: {}", pid, to, e.getMessage());
                }
            }
        });
    }

    @Override
    public void sendExit(Pid to, Reason reason) {
        node.router.sendExitSignal(pid, to, reason);
    }

    @Override
    public @Nullable Object call(Object to, Object request) {
        return call(to, request, node.options.callTimeout());
    }

    @Override
    public @Nullable Object call(Object to, Object requestMessage, Duration timeout) {
        checkOwnThread("call");
        if (to.equals(pid) || (to instanceof String s && s.equals(name))) {
            throw new NotAllowedException("a process cannot call itself (" + pid + ")");
        }
        Ref ref = node.makeRef();
        CallWaiter w = new CallWaiter(ref);
        waiter = w;
        STATUS.compareAndSet(this, ALIVE, WAIT_RESPONSE);
        try {
            Envelope request = Envelope.request(pid, requestMessage, w);
            LocalProcess target = node.router.remoteNodeOf(to) == null ? node.router.resolve(to) : null;
            if (target == this) {
                throw new NotAllowedException("a process cannot call itself (" + pid + ")");
            } else if (target == null) {
                w.remoteNode = node.router.remoteNodeOf(to);
                node.router.route(
                        pid,
                        to,
                        request,
                        MailboxQueue.MAIN,
                        compression); // the core process, or an unknown one: route says which
            } else if (!(Thread.currentThread() instanceof Scheduler.WorkerThread worker)
                    || worker.inlineDepth >= MAX_INLINE_DEPTH) {
                target.deliver(request, MailboxQueue.MAIN);
            } else {
                target.enqueue(request, MailboxQueue.MAIN);
                if (target.claimSleeping()) {
                    runInline(target, w, worker);
                } // else it is ready or running: whoever runs it sees the request
            }
            messagesOut++;
            return node.router.awaitCall(w, to, timeout, true);
        } finally {
            waiter = null;
            STATUS.compareAndSet(this, WAIT_RESPONSE, ALIVE);
        }
    }

    /**
     * Runs the called process on this thread, now, instead of waking another worker for it: the request and its
     * answer then never cross cores, which is what makes a local call cheap (Go's scheduler does the same with
     * "runnext"). Only a sleeping callee is taken, so no other thread runs it meanwhile; it is left as the
     * scheduler would leave it: asleep, or queued again if messages remain.
     */
    private void runInline(LocalProcess target, CallWaiter w, Scheduler.WorkerThread worker) {
        worker.inlineDepth++;
        try {
            LocalProcess again = target.runTurn(node.options.messagesPerTurn(), w);
            if (again != null) {
                node.scheduler.submit(again);
            }
        } finally {
            worker.inlineDepth--;
        }
    }

    @Override
    public void sendImportant(Object to, Object message) {
        String remoteNode = node.router.remoteNodeOf(to);
        if (remoteNode == null) {
            send(to, message); // local delivery is synchronous: an unknown process or full mailbox throws here
            return;
        }
        checkOwnThread("sendImportant");
        CallWaiter w = new CallWaiter(node.makeRef());
        w.remoteNode = remoteNode;
        waiter = w;
        STATUS.compareAndSet(this, ALIVE, WAIT_RESPONSE);
        try {
            node.router.route(pid, to, Envelope.important(pid, message, w), MailboxQueue.MAIN, compression);
            messagesOut++;
            node.router.awaitCall(w, to, node.options.callTimeout(), false);
        } finally {
            waiter = null;
            STATUS.compareAndSet(this, WAIT_RESPONSE, ALIVE);
        }
    }

    @Override
    public Ref callAsync(Object to, Object request, Duration timeout) {
        checkOwnThread("callAsync");
        Ref ref = node.makeRef();
        node.router.route(pid, to, new Envelope(Envelope.REQUEST, pid, request, ref), MailboxQueue.MAIN, compression);
        messagesOut++;
        Cancellable timer = node.timers.schedule(timeout, () -> {
            if (isAlive()) {
                try {
                    deliver(
                            new Envelope(
                                    Envelope.RESPONSE,
                                    pid,
                                    new CallResult(ref, null, new CallTimeoutException(to, timeout)),
                                    ref),
                            MailboxQueue.SYSTEM);
                } catch (ErgoException ignored) {
                    // ended meanwhile
                }
            }
        });
        if (asyncCalls == null) {
            asyncCalls = new HashMap<>();
        }
        String remoteNode = node.router.remoteNodeOf(to);
        asyncCalls.put(ref, new AsyncCall(remoteNode != null ? remoteNode : node.name, timer));
        return ref;
    }

    @Override
    public void sendResponse(Pid to, Ref ref, @Nullable Object response) {
        node.router.respond(pid, to, ref, response, null);
    }

    @Override
    public void sendResponseError(Pid to, Ref ref, ErgoException error) {
        node.router.respond(pid, to, ref, null, error);
    }

    @Override
    public void link(Object target) {
        node.router.link(this, target);
    }

    @Override
    public void unlink(Object target) {
        node.router.unlink(this, target);
    }

    @Override
    public Ref monitor(Object target) {
        return node.router.monitor(this, target);
    }

    @Override
    public void demonitor(Object target) {
        node.router.demonitor(this, target);
    }

    @Override
    public Ref monitorNode(String other) {
        return node.router.monitorNode(this, other);
    }

    @Override
    public void demonitorNode(String other) {
        node.router.demonitorNode(this, other);
    }

    @Override
    public void setCompression(Compression value) {
        compression = value == null || !value.enabled() ? null : value;
    }

    @Override
    public Compression compression() {
        Compression c = compression;
        return c == null ? Compression.off() : c;
    }

    @Override
    public void setTrapExit(boolean trap) {
        this.trapExit = trap;
    }

    @Override
    public boolean trapExit() {
        return trapExit;
    }

    @Override
    public Pid spawn(ProcessFactory factory, services.ergo.gen.ProcessOptions options, Object... args) {
        return node.table.spawn(this, null, factory, options, application, args);
    }

    @Override
    public Pid spawnRegister(
            String registerAs, ProcessFactory factory, services.ergo.gen.ProcessOptions options, Object... args) {
        return node.table.spawn(this, registerAs, factory, options, application, args);
    }

    @Override
    public void registerName(String registerAs) {
        node.table.registerName(registerAs, pid);
    }

    @Override
    public void unregisterName() {
        String n = name;
        if (n != null) {
            node.table.unregisterName(n);
        }
    }

    @Override
    public Alias createAlias() {
        Alias alias = node.table.createAlias(this);
        synchronized (this) {
            List<Alias> list = aliases == null ? new ArrayList<>() : new ArrayList<>(aliases);
            list.add(alias);
            aliases = list;
        }
        return alias;
    }

    @Override
    public void deleteAlias(Alias alias) {
        synchronized (this) {
            if (aliases == null || !aliases.contains(alias)) {
                throw new ProcessUnknownException(alias);
            }
            List<Alias> list = new ArrayList<>(aliases);
            list.remove(alias);
            aliases = list;
        }
        node.table.deleteAlias(alias);
    }

    List<Alias> aliases() {
        List<Alias> a = aliases;
        return a == null ? List.of() : a;
    }

    @Override
    public Ref registerEvent(String eventName, EventOptions options) {
        return node.events.register(pid, eventName, options);
    }

    @Override
    public void unregisterEvent(String eventName) {
        node.events.unregister(pid, eventName);
    }

    @Override
    public void sendEvent(String eventName, Ref token, Object message) {
        node.events.publish(pid, eventName, token, message);
    }

    @Override
    public List<MessageEvent> linkEvent(Event event) {
        return node.events.subscribe(pid, event, true);
    }

    @Override
    public List<MessageEvent> monitorEvent(Event event) {
        return node.events.subscribe(pid, event, false);
    }

    @Override
    public void stop(Reason reason) {
        checkOwnThread("stop");
        pendingStop = reason == null ? Reason.NORMAL : reason;
    }

    @Override
    public Logger log() {
        Logger l = logger;
        if (l == null) {
            l = new ProcessLogger(LoggerFactory.getLogger(behavior.getClass()), node.name, pidText());
            logger = l;
        }
        return l;
    }

    @Override
    public @Nullable Object env(String key) {
        Map<String, Object> e = env;
        Object v = e == null ? null : e.get(key);
        return v != null ? v : node.env(key);
    }

    @Override
    public void setEnv(String key, @Nullable Object value) {
        Map<String, Object> e = env;
        if (e == null) {
            synchronized (this) {
                e = env;
                if (e == null) {
                    e = new ConcurrentHashMap<>();
                    env = e;
                }
            }
        }
        if (value == null) {
            e.remove(key);
        } else {
            e.put(key, value);
        }
    }

    @Override
    public Map<String, Object> envList() {
        Map<String, Object> out = new LinkedHashMap<>(node.envList());
        Map<String, Object> e = env;
        if (e != null) {
            out.putAll(e);
        }
        return Collections.unmodifiableMap(out);
    }

    // ------------------------------------------------------------------ introspection (any thread)

    ProcessShortInfo shortInfo() {
        return new ProcessShortInfo(
                pid,
                name,
                application,
                behavior.getClass().getName(),
                state(),
                mailboxInfo().total(),
                messagesIn(),
                messagesOut,
                runningNanos,
                System.currentTimeMillis() - startedMillis);
    }

    ProcessInfo info() {
        Relations r = relationsOrNull();
        return new ProcessInfo(
                pid,
                name,
                application,
                behavior.getClass().getName(),
                state(),
                parent,
                leader,
                mailboxInfo(),
                mailboxSize,
                messagesIn(),
                messagesOut,
                runningNanos,
                System.currentTimeMillis() - startedMillis,
                trapExit,
                r == null ? List.of() : r.linkList(),
                r == null ? List.of() : r.monitorList(),
                r == null ? List.of() : r.monitoredByList(),
                aliases(),
                node.events.eventsOf(pid),
                envList());
    }

    @Override
    public String toString() {
        return "Process" + pid;
    }
}
