package services.ergo.node;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import services.ergo.gen.Cancellable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageExit;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.MessageExitProcessId;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessTerminatedException;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * The part of a process that runs on its own thread: init, the turn that takes messages from the mailbox and hands
 * them to the behaviour, exits and the end (terminate, kill, cleanup). Only the worker that took the process runs
 * these, except {@link #kill}, which any thread may call and which leaves the mailbox to that worker.
 */
abstract class ProcessCell extends ProcessMailbox {
    final ProcessBehavior behavior;

    /** The registered name, if any. */
    volatile @Nullable String name;

    volatile boolean trapExit;
    private volatile @Nullable Relations relations;

    // touched only by the process's own thread
    volatile long runningNanos;

    @Nullable
    Reason pendingStop;

    @Nullable
    Map<Ref, AsyncCall> asyncCalls;

    /** An async call in flight: the node it went to (its answer comes from there only) and its timeout. */
    record AsyncCall(String node, Cancellable timer) {}

    ProcessCell(LocalNode node, Pid pid, ProcessBehavior behavior, int mailboxSize) {
        super(node, pid, mailboxSize);
        this.behavior = behavior;
    }

    /** The process's logger; made on first use. */
    public abstract Logger log();

    // ------------------------------------------------------------------ running (the process's own thread)

    /** Runs {@code init}; returns the failure, or null. */
    @Nullable
    Throwable init(Object[] args) {
        LocalProcess previous = LocalNode.CURRENT.get();
        LocalNode.CURRENT.set(self());
        try {
            behavior.processInit(self(), args);
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
            node.scheduler.submit(self());
        }
    }

    /**
     * Handles up to {@code budget} messages. Returns this process when it should run again at once (more messages
     * wait), or null when it went to sleep or ended.
     */
    @Nullable
    LocalProcess runTurn(int budget) {
        return runTurn(budget, null);
    }

    /**
     * As {@link #runTurn(int)}, and stops early once {@code until} is done: a caller running this process inline
     * (see {@link #call}) goes back to its own work as soon as its answer is there.
     */
    @Nullable
    LocalProcess runTurn(int budget, @Nullable CallWaiter until) {
        if (status >= TERMINATED) {
            drainMailbox(Reason.KILL);
            status = TERMINATED;
            return null;
        }
        sched = RUNNING;
        LocalProcess previous = LocalNode.CURRENT.get();
        LocalNode.CURRENT.set(self());
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
            return self();
        }
        sched = SLEEP;
        if (hasMessages() && SCHED.compareAndSet(this, SLEEP, READY)) {
            return self();
        }
        return null;
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

    private void answer(Envelope request, @Nullable Object value, @Nullable ErgoException error) {
        CallWaiter w = request.waiter();
        if (w != null) {
            w.complete(value, error);
        } else {
            node.router.respond(pid, request.from, request.ref(), value, error);
        }
    }

    private void handleAsyncResponse(Envelope e) throws Exception {
        AsyncCall call = asyncCalls == null ? null : asyncCalls.get(e.ref());
        if (call == null) {
            return; // late answer to a call that timed out, or not ours
        }
        if (!e.from.equals(pid) && !e.from.node().equals(call.node())) {
            // from a node the call did not go to: a forgery, the real answer may still come
            node.router.refusedFromRemote("answer from a node the call did not go to", e.from, pid);
            return;
        }
        asyncCalls.remove(e.ref());
        call.timer().cancel();
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
            node.scheduler.submit(self());
        }
        return true;
    }

    private void cleanup(Reason reason) {
        String registered = name; // the end releases the name; processes elsewhere may know us by it alone
        node.table.processEnded(self(), reason);
        Relations r = relations;
        if (r != null) {
            Relations.Snapshot s = r.close();
            s.links().forEach((other, form) -> node.router.sendExitSignal(pid, other, reason, registered));
            s.monitoredBy().forEach((ref, m) -> node.router.sendDown(pid, m.owner(), ref, m.target(), reason));
            s.monitors()
                    .forEach((target, held) ->
                            node.router.dropMonitor(held.pid() != null ? held.pid() : target, held.ref()));
        }
    }

    /** Answers the calls still waiting in the mailbox, so their callers learn at once that nobody will answer. */
    private void drainMailbox(Reason reason) {
        if (asyncCalls != null) {
            asyncCalls.values().forEach(c -> c.timer().cancel());
            asyncCalls = null;
        }
        for (int i = 0; i < QUEUE_COUNT; i++) {
            MessageQueue[] qs = others;
            MessageQueue q = i == MailboxQueue.MAIN.index
                    ? main
                    : (qs == null ? null : (MessageQueue) QUEUES.getVolatile(qs, i));
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

    @Nullable
    Relations relationsOrNull() {
        return relations;
    }

    boolean isAlive() {
        return status < TERMINATED;
    }

    void setName(@Nullable String value) {
        this.name = value;
    }
}
