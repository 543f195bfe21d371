package services.ergo.act;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.Process;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * A supervisor, as Ergo's {@code act.Supervisor}: it starts its children, links to them, and restarts them when
 * they end, by its {@link SupervisorType} and {@link SupervisorRestart}. Too many restarts too fast and it gives up:
 * it stops its children (last started first) and ends with reason {@code restart intensity exceeded}, which its own
 * supervisor or application then sees.
 *
 * <pre>{@code
 * public class Workers extends Supervisor {
 *     protected SupervisorSpec init(Object... args) {
 *         return new SupervisorSpec(SupervisorType.ONE_FOR_ONE,
 *             new SupervisorRestart(SupervisorStrategy.PERMANENT, 5, Duration.ofSeconds(5)),
 *             List.of(SupervisorChildSpec.of("worker-1", Worker::new), SupervisorChildSpec.of("worker-2", Worker::new)));
 *     }
 * }
 * node.spawnRegister("workers", Workers::new, ProcessOptions.defaults());
 * }</pre>
 *
 * Other processes may call a supervisor with {@link StartChild} (simple-one-for-one) and {@link WhichChildren}.
 */
public abstract class Supervisor extends ProcessBase implements ProcessBehavior {
    /** The reason a supervisor ends with when its children restart too often. */
    public static final Reason INTENSITY_EXCEEDED = Reason.of("restart intensity exceeded");

    private static final Duration CHILD_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    /** Asks a simple-one-for-one supervisor to start a child; the answer is its {@link Pid}. */
    public record StartChild(String name, List<Object> args) {
        public StartChild {
            args = args == null ? List.of() : List.copyOf(args);
        }
    }

    /** Asks a supervisor for its children; the answer is a {@code List<Child>}, in start order. */
    public record WhichChildren() {}

    /** A running child: the spec's name and the current pid. */
    public record Child(String name, Pid pid) {}

    private SupervisorSpec spec;
    /** Running children, in start order. */
    private final List<Running> children = new ArrayList<>();

    private final Deque<Long> restarts = new ArrayDeque<>();

    private record Running(SupervisorChildSpec spec, Pid pid, List<Object> args) {}

    /** Describes what to supervise; called once, when the supervisor starts. */
    protected abstract SupervisorSpec init(Object... args) throws Exception;

    /** Messages that are not about children. */
    protected void handleMessage(Pid from, Object message) throws Exception {
        log().warn("{}: unhandled message from {}: {}", pid(), from, message);
    }

    /** Calls other than {@link StartChild} and {@link WhichChildren}. */
    protected @Nullable Object handleCall(Pid from, Ref ref, Object request) throws Exception {
        sendResponseError(
                from,
                ref,
                new ErgoException("unsupported request " + request.getClass().getName()));
        return null;
    }

    @Override
    protected Map<String, String> handleInspect(Pid from, String... items) {
        return Map.of(
                "type", spec.type().name().toLowerCase(),
                "children", Integer.toString(children.size()),
                "restarts in period", Integer.toString(restarts.size()));
    }

    // ------------------------------------------------------------------ what the node calls

    @Override
    public final void processInit(Process process, Object... args) throws Exception {
        bind(process);
        spec = init(args);
        if (spec == null) {
            throw new ErgoException("supervisor " + getClass().getName() + " returned no spec from init");
        }
        setTrapExit(true);
        if (spec.type() != SupervisorType.SIMPLE_ONE_FOR_ONE) {
            for (SupervisorChildSpec c : spec.children()) {
                children.add(startChild(c, c.args()));
            }
        }
    }

    @Override
    public final void processMessage(Pid from, Object message) throws Exception {
        if (message instanceof MessageExitPid exit) {
            if (exit.pid().equals(parent())) {
                shutdownChildren();
                stop(exit.reason());
                return;
            }
            int index = indexOf(exit.pid());
            if (index >= 0) {
                childEnded(index, exit.reason());
                return;
            }
            // a child we stopped on purpose, or a process linked by user code
            if (!isStale(exit.pid())) {
                handleMessage(from, message);
            }
            return;
        }
        handleMessage(from, message);
    }

    @Override
    public final @Nullable Object processCall(Pid from, Ref ref, Object request) throws Exception {
        if (request instanceof StartChild start) {
            try {
                return startChild(start.name(), start.args().toArray());
            } catch (RuntimeException e) {
                // a bad request is the caller's problem, not a reason for the supervisor to end
                sendResponseError(from, ref, e instanceof ErgoException ee ? ee : new ErgoException(e.getMessage(), e));
                return null;
            }
        }
        if (request instanceof WhichChildren) {
            return children();
        }
        return handleCall(from, ref, request);
    }

    // ------------------------------------------------------------------ for subclasses

    /**
     * Starts a child of a simple-one-for-one supervisor with the given arguments (added after the spec's own).
     * Only from the supervisor's own handlers; others call it with {@link StartChild}.
     */
    public Pid startChild(String name, Object... args) {
        if (spec.type() != SupervisorType.SIMPLE_ONE_FOR_ONE) {
            throw new NotAllowedException("startChild is for simple-one-for-one supervisors; " + pid() + " is "
                    + spec.type().name().toLowerCase());
        }
        SupervisorChildSpec c = spec.children().get(0);
        if (!c.name().equals(name)) {
            throw new IllegalArgumentException("no child spec named '" + name + "' in " + pid());
        }
        List<Object> all = new ArrayList<>(c.args());
        all.addAll(List.of(args));
        Running r = startChild(c, all);
        children.add(r);
        return r.pid();
    }

    /** The running children, in start order. */
    public List<Child> children() {
        List<Child> out = new ArrayList<>();
        for (Running r : children) {
            out.add(new Child(r.spec().name(), r.pid()));
        }
        return out;
    }

    // ------------------------------------------------------------------ restarts

    private Running startChild(SupervisorChildSpec c, List<Object> args) {
        Object[] a = args.toArray();
        Pid pid = spec.type() == SupervisorType.SIMPLE_ONE_FOR_ONE
                ? spawn(c.factory(), c.options(), a)
                : spawnRegister(c.name(), c.factory(), c.options(), a);
        link(pid);
        return new Running(c, pid, args);
    }

    private int indexOf(Pid pid) {
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i).pid().equals(pid)) {
                return i;
            }
        }
        return -1;
    }

    private final List<Pid> stoppedOnPurpose = new ArrayList<>();

    private boolean isStale(Pid pid) {
        return stoppedOnPurpose.remove(pid);
    }

    private void childEnded(int index, Reason reason) {
        Running ended = children.get(index);
        boolean restart = switch (spec.restart().strategy()) {
            case PERMANENT -> true;
            case TRANSIENT -> reason.isAbnormal();
            case TEMPORARY -> false;
        };
        if (!restart) {
            children.remove(index);
            return;
        }
        if (!allowRestart()) {
            log().error(
                            "supervisor {}: restart intensity exceeded ({} in {}); child {} ended with {}",
                            pid(),
                            spec.restart().intensity(),
                            spec.restart().period(),
                            ended.spec().name(),
                            reason);
            children.remove(index);
            shutdownChildren();
            stop(INTENSITY_EXCEEDED);
            return;
        }
        switch (spec.type()) {
            case ONE_FOR_ONE, SIMPLE_ONE_FOR_ONE -> children.set(index, startChild(ended.spec(), ended.args()));
            case ALL_FOR_ONE -> restartFrom(0, index);
            case REST_FOR_ONE -> restartFrom(index, index);
        }
    }

    /** Stops the children from {@code from} on (but the one that ended), last first, then starts them in order. */
    private void restartFrom(int from, int endedIndex) {
        List<Running> affected = new ArrayList<>(children.subList(from, children.size()));
        for (int i = affected.size() - 1; i >= 0; i--) {
            if (from + i != endedIndex) {
                stopChild(affected.get(i).pid());
            }
        }
        for (int i = 0; i < affected.size(); i++) {
            Running r = affected.get(i);
            children.set(from + i, startChild(r.spec(), r.args()));
        }
    }

    private boolean allowRestart() {
        long now = System.nanoTime();
        long window = spec.restart().period().toNanos();
        while (!restarts.isEmpty() && now - restarts.peekFirst() > window) {
            restarts.pollFirst();
        }
        restarts.addLast(now);
        return restarts.size() <= spec.restart().intensity();
    }

    /** Stops every child, last started first. */
    private void shutdownChildren() {
        for (int i = children.size() - 1; i >= 0; i--) {
            stopChild(children.get(i).pid());
        }
        children.clear();
    }

    /**
     * Stops one child and waits for its end (so a restart can take its name again), killing it after a timeout.
     * The wait blocks the supervisor, as OTP's does; it polls, because the child's exit signal is not what we wait
     * for: we unlinked first, so that the end we cause is not taken for a failure.
     */
    private void stopChild(Pid child) {
        unlink(child);
        // its exit may already be queued: remember it briefly, so it is not taken for a user link's exit
        stoppedOnPurpose.add(child);
        if (stoppedOnPurpose.size() > 64) {
            stoppedOnPurpose.remove(0);
        }
        try {
            sendExit(child, Reason.SHUTDOWN);
        } catch (ProcessUnknownException e) {
            return;
        }
        long deadline = System.nanoTime() + CHILD_SHUTDOWN_TIMEOUT.toNanos();
        long pause = 10_000;
        while (alive(child)) {
            if (System.nanoTime() > deadline) {
                log().warn(
                                "supervisor {}: child {} did not stop within {}; killing it",
                                pid(),
                                child,
                                CHILD_SHUTDOWN_TIMEOUT);
                try {
                    node().kill(child);
                } catch (ProcessUnknownException ignored) {
                    // ended just now
                }
                return;
            }
            LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, 5_000_000);
        }
    }

    private boolean alive(Pid pid) {
        try {
            node().processInfo(pid);
            return true;
        } catch (ProcessUnknownException e) {
            return false;
        }
    }
}
