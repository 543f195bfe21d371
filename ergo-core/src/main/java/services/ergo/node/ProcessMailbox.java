package services.ergo.node;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.CallResult;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MailboxFullException;
import services.ergo.gen.MailboxInfo;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Ref;

/**
 * The part of a process any thread touches: its four queues, its scheduling state, and the slot a blocking call's
 * answer is put in. A sender puts one envelope in a queue and wakes the process with one CAS if it slept; only the
 * process's own thread takes from the queues ({@link ProcessCell}).
 *
 * <p>The first of three classes that make one object per process ({@code ProcessMailbox} → {@link ProcessCell} →
 * {@link LocalProcess}), split at the thread boundary as Pekko splits its actor cell: an abstract chain rather than
 * helper objects, so a process costs no more memory and the send path keeps its inlining.
 */
abstract class ProcessMailbox {
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

    static final VarHandle SCHED;
    static final VarHandle STATUS;
    static final VarHandle QUEUES;

    private static final int URGENT = MailboxQueue.URGENT.index;
    private static final int SYSTEM = MailboxQueue.SYSTEM.index;
    private static final int MAIN = MailboxQueue.MAIN.index;
    private static final int LOG = MailboxQueue.LOG.index;
    static final int QUEUE_COUNT = MailboxQueue.values().length;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SCHED = l.findVarHandle(ProcessMailbox.class, "sched", int.class);
            STATUS = l.findVarHandle(ProcessMailbox.class, "status", int.class);
            QUEUES = MethodHandles.arrayElementVarHandle(MessageQueue[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final LocalNode node;
    final Pid pid;
    final int mailboxSize;

    final MessageQueue main = new MessageQueue();
    /** Urgent, system and log queues appear with their first message: most processes never use them. */
    volatile @Nullable MessageQueue @Nullable [] others;

    volatile int sched = RUNNING; // running until init is done
    volatile int status = INIT;

    /** The blocking call this process waits on, if any: its answer comes from any thread. */
    volatile @Nullable CallWaiter waiter;

    ProcessMailbox(LocalNode node, Pid pid, int mailboxSize) {
        this.node = node;
        this.pid = pid;
        this.mailboxSize = mailboxSize;
    }

    /** This object as the scheduler knows it: {@link LocalProcess} is the one concrete class of the chain. */
    final LocalProcess self() {
        return (LocalProcess) this;
    }

    // ------------------------------------------------------------------ delivery (any thread)

    /** Puts an envelope in the given queue and wakes the process if it slept. */
    void deliver(Envelope e, MailboxQueue queue) {
        if (status >= TERMINATED) {
            throw new ProcessUnknownException(pid);
        }
        if (queue == MailboxQueue.MAIN) {
            if (mailboxSize > 0) {
                if (!main.offer(e, mailboxSize)) {
                    throw new MailboxFullException(pid, mailboxSize);
                }
            } else {
                main.offer(e);
            }
        } else {
            queue(queue.index).offer(e);
        }
        if (sched == SLEEP && SCHED.compareAndSet(this, SLEEP, READY)) {
            node.scheduler.submit(self());
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
    void enqueue(Envelope e, MailboxQueue queue) {
        if (status >= TERMINATED) {
            throw new ProcessUnknownException(pid);
        }
        if (queue == MailboxQueue.MAIN && mailboxSize > 0) {
            if (!main.offer(e, mailboxSize)) {
                throw new MailboxFullException(pid, mailboxSize);
            }
        } else {
            queue(queue.index).offer(e);
        }
    }

    /** Takes a sleeping process for this thread to run; fails when it is ready or running elsewhere. */
    boolean claimSleeping() {
        return sched == SLEEP && SCHED.compareAndSet(this, SLEEP, RUNNING);
    }

    private MessageQueue queue(int index) {
        if (index == MAIN) {
            return main;
        }
        MessageQueue[] qs = others;
        if (qs == null) {
            synchronized (this) {
                qs = others;
                if (qs == null) {
                    qs = new MessageQueue[QUEUE_COUNT];
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

    /**
     * An answer from another node: it completes the blocking call waiting for {@code ref} only when that call went
     * to the answering node; else it is queued for an async call, which checks the same.
     */
    void deliverRemoteResponse(Pid from, Ref ref, @Nullable Object value, @Nullable ErgoException error) {
        CallWaiter w = waiter;
        if (w != null && w.ref.equals(ref)) {
            if (from.node().equals(w.remoteNode)) {
                w.complete(value, error);
            } else {
                node.router.refusedFromRemote("answer from a node the call did not go to", from, pid);
            }
            return;
        }
        deliverResponse(from, ref, value, error);
    }

    /** Completes this process's blocking call, if it waits for {@code ref}; else queues it for an async call. */
    void deliverResponse(Pid from, Ref ref, @Nullable Object value, @Nullable ErgoException error) {
        CallWaiter w = waiter;
        if (w != null && w.ref.equals(ref)) {
            w.complete(value, error);
            return;
        }
        try {
            deliver(new Envelope(Envelope.RESPONSE, from, new CallResult(ref, value, error), ref), MailboxQueue.SYSTEM);
        } catch (ProcessUnknownException ignored) {
            // the caller ended: nobody waits for this answer
        }
    }

    // ------------------------------------------------------------------ taking (the process's own thread)

    final @Nullable Envelope nextPriority() {
        MessageQueue[] qs = others;
        for (int i = URGENT; i <= SYSTEM; i++) {
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

    final @Nullable Envelope nextLog() {
        MessageQueue log = (MessageQueue) QUEUES.getAcquire(others, LOG);
        return log == null ? null : log.poll();
    }

    final boolean hasMessages() {
        if (main.hasMessages()) {
            return true;
        }
        MessageQueue[] qs = others;
        if (qs != null) {
            for (int i = 0; i < QUEUE_COUNT; i++) {
                MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, i);
                if (q != null && q.hasMessages()) {
                    return true;
                }
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ introspection (any thread)

    final MailboxInfo mailboxInfo() {
        MessageQueue[] qs = others;
        return new MailboxInfo(depth(qs, URGENT), depth(qs, SYSTEM), main.depth(), depth(qs, LOG));
    }

    private static long depth(@Nullable MessageQueue @Nullable [] qs, int i) {
        if (qs == null) {
            return 0;
        }
        MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, i);
        return q == null ? 0 : q.depth();
    }

    final long messagesIn() {
        long n = main.taken();
        MessageQueue[] qs = others;
        if (qs != null) {
            for (int i = 0; i < QUEUE_COUNT; i++) {
                MessageQueue q = (MessageQueue) QUEUES.getVolatile(qs, i);
                if (q != null && i != MAIN) {
                    n += q.taken();
                }
            }
        }
        return n;
    }
}
