package services.ergo.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
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
import services.ergo.gen.MailboxFullException;
import services.ergo.gen.MailboxInfo;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageExit;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.MessageExitProcessId;
import services.ergo.gen.MessagePriority;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.Process;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.ProcessState;
import services.ergo.gen.ProcessTerminatedException;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * A process of this node: its mailbox, its scheduling state, its relations, and the {@link Process} handle its
 * behaviour works through. Handlers run one at a time, on whichever worker took the process.
 */
final class LocalProcess implements Process {
    /** How deep calls may run their callees inline on one thread's stack before falling back to waking a worker. */
    static final int MAX_INLINE_DEPTH = 8;

    static final int QUEUE_URGENT = 0;
    static final int QUEUE_SYSTEM = 1;
    static final int QUEUE_MAIN = 2;
    static final int QUEUE_LOG = 3;

    // scheduling state: a sender moves SLEEP -> READY and submits; only the worker moves it back
    static final int SLEEP = 0;
    static final int READY = 1;
    static final int RUNNING = 2;

    // life state
    static final int INIT = 0;
    static final int ALIVE = 1;
    static final int WAIT_RESPONSE = 2;
    static final int TERMINATED = 3;
    static final int ZOMBIE = 4;

    private static final VarHandle SCHED;
    private static final VarHandle STATUS;
    private static final VarHandle QUEUES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SCHED = l.findVarHandle(LocalProcess.class, "sched", int.class);
            STATUS = l.findVarHandle(LocalProcess.class, "status", int.class);
            QUEUES = MethodHandles.arrayElementVarHandle(MessageQueue[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final LocalNode node;
    final Pid pid;
    final ProcessBehavior behavior;
    final Pid parent;
    final Pid leader;
    final String application;
    private final int mailboxSize;
    private final long startedMillis = System.currentTimeMillis();

    private final MessageQueue main = new MessageQueue();
    /** Urgent, system and log queues appear with their first message: most processes never use them. */
    private volatile MessageQueue[] others;

    private volatile int sched = RUNNING; // running until init is done
    private volatile int status = INIT;

    private volatile String name;
    /** Null when off, the common case: the send path then checks one field. */
    private Compression compression;

    private volatile CallWaiter waiter;
    private volatile boolean trapExit;
    private volatile Relations relations;
    private volatile Map<String, Object> env;
    private volatile List<Alias> aliases;

    // touched only by the process's own thread
    private long messagesOut;
    private volatile long runningNanos;
    private Reason pendingStop;
    private Map<Ref, Cancellable> asyncCalls;
    private Logger logger;
    private String pidText;

    LocalProcess(
            LocalNode node,
            Pid pid,
            ProcessBehavior behavior,
            Pid parent,
            Pid leader,
            String application,
            ProcessOptions options) {
        this.node = node;
        this.pid = pid;
        this.behavior = behavior;
        this.parent = parent;
        this.leader = leader;
        this.application = application;
        this.mailboxSize = options.mailboxSize();
        if (!options.env().isEmpty()) {
            this.env = new ConcurrentHashMap<>(options.env());
        }
    }

    // ------------------------------------------------------------------ delivery (any thread)

    /** Puts an envelope in the given queue and wakes the process if it slept. */
    void deliver(Envelope e, int queue) {
        if (status >= TERMINATED) {
            throw new ProcessUnknownException(pid);
        }
        if (queue == QUEUE_MAIN) {
            if (mailboxSize > 0) {
                if (!main.offer(e, mailboxSize)) {
                    throw new MailboxFullException(pid, mailboxSize);
                }
            } else {
                main.offer(e);
            }
        } else {
            queue(queue).offer(e);
        }
        if (sched == SLEEP && SCHED.compareAndSet(this, SLEEP, READY)) {
            node.scheduler.submit(this);
        }
    }

    /** Fails this process's blocking call if it waits on {@code lost}: no answer can come from there now. */
    void failCallTo(String lost) {
        CallWaiter w = waiter;
        if (w != null && lost.equals(w.remoteNode)) {
            w.complete(null, new NoConnectionException(lost, "the connection was lost while waiting for the answer"));
        }
    }

    /** Puts an envelope in the queue without waking the process: the caller claims it next. */
    void enqueue(Envelope e, int queue) {
        if (status >= TERMINATED) {
            throw new ProcessUnknownException(pid);
        }
        if (queue == QUEUE_MAIN && mailboxSize > 0) {
            if (!main.offer(e, mailboxSize)) {
                throw new MailboxFullException(pid, mailboxSize);
            }
        } else {
            queue(queue).offer(e);
        }
    }

    /** Takes a sleeping process for this thread to run; fails when it is ready or running elsewhere. */
    boolean claimSleeping() {
        return sched == SLEEP && SCHED.compareAndSet(this, SLEEP, RUNNING);
    }

    static int queueFor(MessagePriority priority) {
        return switch (priority) {
            case NORMAL -> QUEUE_MAIN;
            case HIGH -> QUEUE_SYSTEM;
            case MAX -> QUEUE_URGENT;
        };
    }

    private MessageQueue queue(int index) {
        if (index == QUEUE_MAIN) {
            return main;
        }
        MessageQueue[] qs = others;
        if (qs == null) {
            synchronized (this) {
                qs = others;
                if (qs == null) {
                    qs = new MessageQueue[4];
                    others = qs;
                }
            }
        }
        MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, index);
        if (q == null) {
            MessageQueue fresh = new MessageQueue();
            q = QUEUES.compareAndSet(qs, index, null, fresh) ? fresh : (MessageQueue) QUEUES.getVolatile(qs, index);
        }
        return q;
    }

    /** Completes this process's blocking call, if it waits for {@code ref}; else queues it for an async call. */
    void deliverResponse(Pid from, Ref ref, Object value, ErgoException error) {
        CallWaiter w = waiter;
        if (w != null && w.ref.equals(ref)) {
            w.complete(value, error);
            return;
        }
        try {
            deliver(new Envelope(Envelope.RESPONSE, from, new CallResult(ref, value, error), ref), QUEUE_SYSTEM);
        } catch (ProcessUnknownException ignored) {
            // the caller ended: nobody waits for this answer
        }
    }

    // ------------------------------------------------------------------ running (the process's own thread)

    /** Runs {@code init}; returns the failure, or null. */
    Throwable init(Object[] args) {
        LocalProcess previous = LocalNode.CURRENT.get();
        LocalNode.CURRENT.set(this);
        try {
            behavior.processInit(this, args);
            STATUS.compareAndSet(this, INIT, ALIVE); // fails only when killed during init
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            LocalNode.CURRENT.set(previous);
        }
    }

    /** Ends a process whose init failed: no terminate callback, as in Ergo; its spawner gets the error. */
    void initFailed(Reason reason) {
        status = TERMINATED;
        cleanup(reason);
        drainMailbox(reason);
    }

    /** Lets the process run after a successful init: schedule it if messages came meanwhile. */
    void startRunning() {
        if (pendingStop != null) {
            terminate(pendingStop);
            return;
        }
        sched = SLEEP;
        if (hasMessages() && SCHED.compareAndSet(this, SLEEP, READY)) {
            node.scheduler.submit(this);
        }
    }

    /**
     * Handles up to {@code budget} messages. Returns this process when it should run again at once (more messages
     * wait), or null when it went to sleep or ended.
     */
    LocalProcess runTurn(int budget) {
        return runTurn(budget, null);
    }

    /**
     * As {@link #runTurn(int)}, and stops early once {@code until} is done: a caller running this process inline
     * (see {@link #call}) goes back to its own work as soon as its answer is there.
     */
    LocalProcess runTurn(int budget, CallWaiter until) {
        if (status >= TERMINATED) {
            drainMailbox(Reason.KILL);
            status = TERMINATED;
            return null;
        }
        sched = RUNNING;
        LocalProcess previous = LocalNode.CURRENT.get();
        LocalNode.CURRENT.set(this);
        // an inline turn's time counts as its caller's: two clock reads would be a good part of a local call
        long start = until == null ? System.nanoTime() : 0;
        // Main is drained through a local cursor and committed once per turn (see MessageQueue.head): the depth an
        // observer reads lags by at most one turn. A bounded mailbox commits each message, so its slots are exact.
        Envelope cursor = main.head();
        long taken = 0;
        try {
            for (int i = 0; i < budget; i++) {
                Envelope e = others == null ? null : nextPriority();
                if (e == null) {
                    Envelope n = MessageQueue.nextOf(cursor);
                    if (n != null) {
                        cursor = n;
                        e = n;
                        if (mailboxSize > 0) {
                            main.advance(cursor, 1); // a bounded mailbox frees its slot at once
                        } else {
                            taken++;
                        }
                    } else if (others != null) {
                        e = nextLog();
                    }
                    if (e == null) {
                        break;
                    }
                }
                handle(e);
                e.clear();
                if (pendingStop != null || status >= TERMINATED || (until != null && until.isDone())) {
                    break;
                }
            }
        } finally {
            main.advance(cursor, taken);
            if (until == null) {
                runningNanos += System.nanoTime() - start;
            }
            LocalNode.CURRENT.set(previous);
        }
        if (status >= TERMINATED) {
            // killed meanwhile: the killer cleaned up; the mailbox is ours to drain
            drainMailbox(Reason.KILL);
            status = TERMINATED;
            return null;
        }
        if (pendingStop != null) {
            terminate(pendingStop);
            return null;
        }
        if (hasMessages()) {
            sched = READY;
            return this;
        }
        sched = SLEEP;
        if (hasMessages() && SCHED.compareAndSet(this, SLEEP, READY)) {
            return this;
        }
        return null;
    }

    private Envelope nextPriority() {
        MessageQueue[] qs = others;
        for (int i = QUEUE_URGENT; i <= QUEUE_SYSTEM; i++) {
            MessageQueue q = (MessageQueue) QUEUES.getAcquire(qs, i);
            if (q != null) {
                Envelope e = q.poll();
                if (e != null) {
                    return e;
                }
            }
        }
        return null;
    }

    private Envelope nextLog() {
        MessageQueue log = (MessageQueue) QUEUES.getAcquire(others, QUEUE_LOG);
        return log == null ? null : log.poll();
    }

    private boolean hasMessages() {
        if (main.hasMessages()) {
            return true;
        }
        MessageQueue[] qs = others;
        if (qs != null) {
            for (int i = 0; i < 4; i++) {
                MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, i);
                if (q != null && q.hasMessages()) {
                    return true;
                }
            }
        }
        return false;
    }

    private void handle(Envelope e) {
        try {
            switch (e.kind) {
                case Envelope.MESSAGE -> behavior.processMessage(e.from, e.message);
                case Envelope.REQUEST -> {
                    Object reply = behavior.processCall(e.from, e.ref(), e.message);
                    if (reply != null) {
                        answer(e, reply, null);
                    }
                }
                case Envelope.RESPONSE -> handleAsyncResponse(e);
                case Envelope.EXIT -> {
                    if (e.message instanceof MessageExit ready) {
                        handleExitMessage(e.from, ready);
                    } else {
                        handleExitSignal(e.from, (Reason) e.message);
                    }
                }
                case Envelope.EVENT -> behavior.processEvent((MessageEvent) e.message);
                case Envelope.INSPECT -> handleInspect(e);
                default -> throw new IllegalStateException("unknown envelope kind " + e.kind);
            }
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError vme && !(t instanceof StackOverflowError)) {
                throw vme;
            }
            log().error("process {} failed in its handler; terminating", pid, t);
            pendingStop = Reason.error(t);
            if (e.kind == Envelope.REQUEST) {
                answer(e, null, new ProcessTerminatedException(pid, pendingStop));
            }
        }
    }

    private void answer(Envelope request, Object value, ErgoException error) {
        CallWaiter w = request.waiter();
        if (w != null) {
            w.complete(value, error);
        } else {
            node.respond(pid, request.from, request.ref(), value, error);
        }
    }

    private void handleAsyncResponse(Envelope e) throws Exception {
        Cancellable timer = asyncCalls == null ? null : asyncCalls.remove(e.ref());
        if (timer == null) {
            return; // late answer to a call that timed out, or not ours
        }
        timer.cancel();
        behavior.processMessage(e.from, e.message);
    }

    private void handleExitSignal(Pid from, Reason reason) throws Exception {
        Relations r = relations;
        Object form = r == null ? null : r.removeLink(from);
        if (Reason.KILL.equals(reason) && form == null) {
            pendingStop = Reason.KILL;
            return;
        }
        if (trapExit) {
            MessageExit message = form instanceof ProcessId id
                    ? new MessageExitProcessId(id, reason)
                    : new MessageExitPid(from, reason);
            behavior.processMessage(from, message);
            return;
        }
        if (form != null && reason.isNormal()) {
            return; // a linked process ended normally: like Erlang, that takes nobody with it
        }
        if (form == null && reason.isNormal()) {
            return; // an explicit exit signal with reason normal is ignored without trap-exit
        }
        pendingStop = reason;
    }

    private void handleExitMessage(Pid from, MessageExit message) throws Exception {
        if (trapExit) {
            behavior.processMessage(from, message);
        } else if (!message.reason().isNormal()) {
            pendingStop = message.reason();
        }
    }

    private void handleInspect(Envelope e) {
        InspectRequest request = (InspectRequest) e.message;
        try {
            Map<String, String> m = behavior.processInspect(e.from, request.items());
            request.reply().complete(m == null ? Map.of() : m);
        } catch (Throwable t) {
            request.reply().completeExceptionally(t);
        }
    }

    /** Ends the process on its own thread: terminate callback, then cleanup. */
    void terminate(Reason reason) {
        int s;
        do {
            s = status;
            if (s >= TERMINATED) {
                return; // lost against a kill, which cleaned up
            }
        } while (!STATUS.compareAndSet(this, s, TERMINATED));
        try {
            behavior.processTerminate(reason);
        } catch (Throwable t) {
            log().warn("terminate of {} failed", pid, t);
        }
        cleanup(reason);
        drainMailbox(reason);
    }

    /**
     * Kills the process from any thread. Its running handler, if any, finishes as a zombie. The mailbox is drained
     * by the worker that next runs the process, since only one thread may ever take from it.
     */
    boolean kill() {
        int s;
        do {
            s = status;
            if (s >= TERMINATED) {
                return false;
            }
        } while (!STATUS.compareAndSet(this, s, sched == RUNNING ? ZOMBIE : TERMINATED));
        CallWaiter w = waiter;
        if (w != null) {
            w.complete(null, new ProcessTerminatedException(pid, Reason.KILL));
        }
        cleanup(Reason.KILL);
        if (sched == SLEEP && SCHED.compareAndSet(this, SLEEP, READY)) {
            node.scheduler.submit(this);
        }
        return true;
    }

    private void cleanup(Reason reason) {
        String registered = name; // the end releases the name; processes elsewhere may know us by it alone
        node.processEnded(this, reason);
        Relations r = relations;
        if (r != null) {
            Relations.Snapshot s = r.close();
            s.links().forEach((other, form) -> node.sendExitSignal(pid, other, reason, registered));
            s.monitoredBy().forEach((ref, m) -> node.sendDown(pid, m.owner(), ref, m.target(), reason));
            s.monitors()
                    .forEach((target, held) -> node.dropMonitor(held.pid() != null ? held.pid() : target, held.ref()));
        }
    }

    /** Answers the calls still waiting in the mailbox, so their callers learn at once that nobody will answer. */
    private void drainMailbox(Reason reason) {
        if (asyncCalls != null) {
            asyncCalls.values().forEach(Cancellable::cancel);
            asyncCalls = null;
        }
        for (int i = 0; i < 4; i++) {
            MessageQueue[] qs = others;
            MessageQueue q = i == QUEUE_MAIN ? main : (qs == null ? null : (MessageQueue) QUEUES.getVolatile(qs, i));
            if (q == null) {
                continue;
            }
            Envelope e;
            while ((e = q.poll()) != null) {
                if (e.kind == Envelope.REQUEST) {
                    answer(e, null, new ProcessTerminatedException(pid, reason));
                } else if (e.kind == Envelope.INSPECT) {
                    ((InspectRequest) e.message).reply().completeExceptionally(new ProcessUnknownException(pid));
                }
            }
        }
    }

    /** What {@code Node.inspect} puts in the urgent queue. */
    record InspectRequest(CompletableFuture<Map<String, String>> reply, String[] items) {}

    Relations relations() {
        Relations r = relations;
        if (r == null) {
            synchronized (this) {
                r = relations;
                if (r == null) {
                    r = new Relations();
                    relations = r;
                }
            }
        }
        return r;
    }

    Relations relationsOrNull() {
        return relations;
    }

    boolean isAlive() {
        return status < TERMINATED;
    }

    void setName(String value) {
        this.name = value;
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
    public String name() {
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
    public String application() {
        return application;
    }

    @Override
    public void send(Object to, Object message) {
        node.route(pid, to, new Envelope(Envelope.MESSAGE, pid, message, null), QUEUE_MAIN, compression);
        messagesOut++;
    }

    @Override
    public void sendWithPriority(Object to, Object message, MessagePriority priority) {
        node.route(pid, to, new Envelope(Envelope.MESSAGE, pid, message, null), queueFor(priority), compression);
        messagesOut++;
    }

    @Override
    public Cancellable sendAfter(Object to, Object message, Duration delay) {
        return node.timers.schedule(delay, () -> {
            if (isAlive()) {
                try {
                    node.route(pid, to, new Envelope(Envelope.MESSAGE, pid, message, null), QUEUE_MAIN, compression);
                } catch (ErgoException e) {
                    log().debug("timer message from {} to {} not delivered: {}", pid, to, e.getMessage());
                }
            }
        });
    }

    @Override
    public void sendExit(Pid to, Reason reason) {
        node.sendExitSignal(pid, to, reason);
    }

    @Override
    public Object call(Object to, Object request) {
        return call(to, request, node.options.callTimeout());
    }

    @Override
    public Object call(Object to, Object requestMessage, Duration timeout) {
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
            LocalProcess target = node.remoteNodeOf(to) == null ? node.resolve(to) : null;
            if (target == this) {
                throw new NotAllowedException("a process cannot call itself (" + pid + ")");
            } else if (target == null) {
                w.remoteNode = node.remoteNodeOf(to);
                node.route(
                        pid,
                        to,
                        request,
                        QUEUE_MAIN,
                        compression); // the core process, or an unknown one: route says which
            } else if (!(Thread.currentThread() instanceof Scheduler.WorkerThread worker)
                    || worker.inlineDepth >= MAX_INLINE_DEPTH) {
                target.deliver(request, QUEUE_MAIN);
            } else {
                target.enqueue(request, QUEUE_MAIN);
                if (target.claimSleeping()) {
                    runInline(target, w, worker);
                } // else it is ready or running: whoever runs it sees the request
            }
            messagesOut++;
            return node.awaitCall(w, to, timeout, true);
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
        String remoteNode = node.remoteNodeOf(to);
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
            node.route(pid, to, Envelope.important(pid, message, w), QUEUE_MAIN, compression);
            messagesOut++;
            node.awaitCall(w, to, node.options.callTimeout(), false);
        } finally {
            waiter = null;
            STATUS.compareAndSet(this, WAIT_RESPONSE, ALIVE);
        }
    }

    @Override
    public Ref callAsync(Object to, Object request, Duration timeout) {
        checkOwnThread("callAsync");
        Ref ref = node.makeRef();
        node.route(pid, to, new Envelope(Envelope.REQUEST, pid, request, ref), QUEUE_MAIN, compression);
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
                            QUEUE_SYSTEM);
                } catch (ErgoException ignored) {
                    // ended meanwhile
                }
            }
        });
        if (asyncCalls == null) {
            asyncCalls = new HashMap<>();
        }
        asyncCalls.put(ref, timer);
        return ref;
    }

    @Override
    public void sendResponse(Pid to, Ref ref, Object response) {
        node.respond(pid, to, ref, response, null);
    }

    @Override
    public void sendResponseError(Pid to, Ref ref, ErgoException error) {
        node.respond(pid, to, ref, null, error);
    }

    @Override
    public void link(Object target) {
        node.link(this, target);
    }

    @Override
    public void unlink(Object target) {
        node.unlink(this, target);
    }

    @Override
    public Ref monitor(Object target) {
        return node.monitor(this, target);
    }

    @Override
    public void demonitor(Object target) {
        node.demonitor(this, target);
    }

    @Override
    public Ref monitorNode(String other) {
        return node.monitorNode(this, other);
    }

    @Override
    public void demonitorNode(String other) {
        node.demonitorNode(this, other);
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
        return node.spawn(this, null, factory, options, application, args);
    }

    @Override
    public Pid spawnRegister(
            String registerAs, ProcessFactory factory, services.ergo.gen.ProcessOptions options, Object... args) {
        return node.spawn(this, registerAs, factory, options, application, args);
    }

    @Override
    public void registerName(String registerAs) {
        node.registerName(registerAs, pid);
    }

    @Override
    public void unregisterName() {
        String n = name;
        if (n != null) {
            node.unregisterName(n);
        }
    }

    @Override
    public Alias createAlias() {
        Alias alias = node.createAlias(this);
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
        node.deleteAlias(alias);
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
    public Object env(String key) {
        Map<String, Object> e = env;
        Object v = e == null ? null : e.get(key);
        return v != null ? v : node.env(key);
    }

    @Override
    public void setEnv(String key, Object value) {
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

    MailboxInfo mailboxInfo() {
        MessageQueue[] qs = others;
        return new MailboxInfo(depth(qs, QUEUE_URGENT), depth(qs, QUEUE_SYSTEM), main.depth(), depth(qs, QUEUE_LOG));
    }

    private static long depth(MessageQueue[] qs, int i) {
        if (qs == null) {
            return 0;
        }
        MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, i);
        return q == null ? 0 : q.depth();
    }

    long messagesIn() {
        long n = main.taken();
        MessageQueue[] qs = others;
        if (qs != null) {
            for (int i = 0; i < 4; i++) {
                MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, i);
                if (q != null && i != QUEUE_MAIN) {
                    n += q.taken();
                }
            }
        }
        return n;
    }

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
        Relations r = relations;
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
