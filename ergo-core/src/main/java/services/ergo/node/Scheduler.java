package services.ergo.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.MpmcUnboundedXaddArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * Runs ready processes on a small set of worker threads.
 *
 * <p>A process is put on the shared run queue once, by the sender whose message woke it (one CAS from sleep to
 * ready). A worker takes it, handles up to {@code messagesPerTurn} messages, and either puts it to sleep or back on
 * the queue. Idle workers spin for {@code idleSpin} before they park, because waking a parked thread costs tens of
 * microseconds and a spinning one costs nothing; a sender wakes a parked worker only when no worker is spinning.
 *
 * <p>A handler that blocks in {@code call} first spins for the answer, then tells the scheduler it blocks: if fewer
 * than {@code parallelism} workers are then left unblocked, a spare worker starts, so nested calls never starve the
 * pool. Spares retire when they find themselves idle with enough unblocked workers around.
 */
final class Scheduler {
    private final String nodeName;
    private final int parallelism;
    private final int maxThreads;
    private final int messagesPerTurn;
    private final long idleSpinNanos;
    private final MpmcUnboundedXaddArrayQueue<LocalProcess> runQueue = new MpmcUnboundedXaddArrayQueue<>(1024);
    private final AtomicInteger spinning = new AtomicInteger();
    /** Workers that are not blocked in a call: busy, spinning or parked. */
    private final AtomicInteger unblocked = new AtomicInteger();

    private final Object workersLock = new Object();
    private volatile Worker[] workers = new Worker[0];
    private volatile boolean running = true;
    private int spareSeq;

    Scheduler(String nodeName, int parallelism, int maxThreads, int messagesPerTurn, long idleSpinNanos) {
        this.nodeName = nodeName;
        this.parallelism = parallelism;
        this.maxThreads = Math.max(parallelism, maxThreads);
        this.messagesPerTurn = messagesPerTurn;
        this.idleSpinNanos = idleSpinNanos;
    }

    void start() {
        for (int i = 0; i < parallelism; i++) {
            addWorker(false, "ergo-" + nodeName + "-worker-" + i);
        }
    }

    int parallelism() {
        return parallelism;
    }

    int threads() {
        return workers.length;
    }

    /** Puts a process that just became ready on the run queue. */
    void submit(LocalProcess p) {
        runQueue.offer(p);
        if (spinning.get() == 0) {
            wakeOne();
        }
    }

    /** How many processes are being handled right now. */
    int runningProcesses() {
        int n = 0;
        for (Worker w : workers) {
            if (w.current != null) {
                n++;
            }
        }
        return n;
    }

    /** The calling worker is about to block; keep enough workers unblocked. */
    void blockingBegin() {
        if (unblocked.decrementAndGet() < parallelism) {
            if (!wakeOne()) {
                startSpare();
            }
        }
    }

    void blockingEnd() {
        unblocked.incrementAndGet();
    }

    void stop() {
        running = false;
        for (Worker w : workers) {
            LockSupport.unpark(w.thread);
        }
    }

    void join(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        for (Worker w : workers) {
            if (w.thread != Thread.currentThread()) {
                w.thread.join(Math.max(1, deadline - System.currentTimeMillis()));
            }
        }
    }

    private boolean wakeOne() {
        for (Worker w : workers) {
            if (w.parked && Worker.PARKED.compareAndSet(w, true, false)) {
                LockSupport.unpark(w.thread);
                return true;
            }
        }
        return false;
    }

    private void startSpare() {
        synchronized (workersLock) {
            if (!running || workers.length >= maxThreads) {
                return;
            }
            addWorker(true, "ergo-" + nodeName + "-spare-" + (spareSeq++));
        }
    }

    private void addWorker(boolean spare, String name) {
        synchronized (workersLock) {
            Worker w = new Worker(this, spare);
            WorkerThread t = new WorkerThread(w, name);
            w.thread = t;
            Worker[] next = Arrays.copyOf(workers, workers.length + 1);
            next[next.length - 1] = w;
            workers = next;
            unblocked.incrementAndGet();
            t.start();
        }
    }

    private void removeWorker(Worker w) {
        synchronized (workersLock) {
            List<Worker> list = new ArrayList<>(Arrays.asList(workers));
            list.remove(w);
            workers = list.toArray(new Worker[0]);
        }
    }

    /** The loop of one worker thread. */
    void runWorker(Worker w) {
        try {
            while (running) {
                LocalProcess p = runQueue.poll();
                if (p == null) {
                    p = spinForWork();
                }
                if (p != null) {
                    runProcess(w, p);
                    continue;
                }
                if (w.spare && unblocked.get() > parallelism) {
                    if (retire(w)) {
                        return;
                    }
                    continue;
                }
                park(w);
            }
        } finally {
            w.current = null;
        }
    }

    private @Nullable LocalProcess spinForWork() {
        if (idleSpinNanos <= 0) {
            return null;
        }
        spinning.incrementAndGet();
        LocalProcess p;
        long deadline = System.nanoTime() + idleSpinNanos;
        int i = 0;
        while ((p = runQueue.poll()) == null && running) {
            Thread.onSpinWait();
            if ((++i & 63) == 0 && System.nanoTime() > deadline) {
                break;
            }
        }
        int left = spinning.decrementAndGet();
        if (p != null && left == 0 && !runQueue.isEmpty()) {
            // we were the last spinner and more work is waiting: make sure someone picks it up
            wakeOne();
        }
        return p;
    }

    private boolean retire(Worker w) {
        synchronized (workersLock) {
            if (unblocked.get() <= parallelism) {
                return false;
            }
            unblocked.decrementAndGet();
            removeWorker(w);
        }
        return true;
    }

    private void park(Worker w) {
        w.parked = true;
        if (!runQueue.isEmpty() || !running) {
            if (Worker.PARKED.compareAndSet(w, true, false)) {
                return;
            }
            // someone already woke us: its unpark permit is pending; fall through to consume it
        }
        while (w.parked && running) {
            LockSupport.park(this);
        }
    }

    private void runProcess(Worker w, LocalProcess p) {
        w.current = p;
        try {
            LocalProcess next = p;
            while (next != null) {
                next = next.runTurn(messagesPerTurn);
                if (next != null && !runQueue.isEmpty()) {
                    // others wait: go to the back of the queue
                    runQueue.offer(next);
                    next = null;
                }
            }
        } finally {
            w.current = null;
        }
    }

    /** One worker's state, read by the scheduler and by introspection. */
    static final class Worker {
        static final java.lang.invoke.VarHandle PARKED;

        static {
            try {
                PARKED = java.lang.invoke.MethodHandles.lookup().findVarHandle(Worker.class, "parked", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        final Scheduler scheduler;
        final boolean spare;
        volatile boolean parked;
        /** The process this worker runs now, if any. */
        volatile @Nullable LocalProcess current;

        Thread thread;

        Worker(Scheduler scheduler, boolean spare) {
            this.scheduler = scheduler;
            this.spare = spare;
        }
    }

    /** Worker threads are told apart from other threads, so a blocking call knows it must ask for a spare. */
    static final class WorkerThread extends Thread {
        final Worker worker;
        /** Calls on this thread whose callee runs inline, nested (see LocalProcess.call). */
        int inlineDepth;

        WorkerThread(Worker worker, String name) {
            super(name);
            this.worker = worker;
            setDaemon(true);
        }

        @Override
        public void run() {
            worker.scheduler.runWorker(worker);
        }
    }
}
