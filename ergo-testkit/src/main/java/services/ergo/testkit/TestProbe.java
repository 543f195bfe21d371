package services.ergo.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;
import services.ergo.act.Actor;
import services.ergo.gen.Event;
import services.ergo.gen.MessageDown;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageExit;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.gen.Process;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;

/**
 * A real process that records what it receives, for tests to await: messages (with their sender), events, exit and
 * down messages. What the probe does (send, call, link, monitor) it does as itself, on its own turn, so answers
 * and notifications come back to it.
 *
 * <pre>{@code
 * TestProbe probe = TestProbe.spawn(node);
 * probe.send(worker, new Job(1));
 * Done done = probe.expectMessage(Done.class, Duration.ofSeconds(1));
 * probe.monitor(worker);
 * node.kill(worker);
 * probe.expectDown(worker, Duration.ofSeconds(1));
 * }</pre>
 */
public final class TestProbe {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    private final Node node;
    private final Pid pid;
    private final BlockingQueue<Received> inbox;
    private final List<Received> history;

    private TestProbe(Node node, Pid pid, BlockingQueue<Received> inbox, List<Received> history) {
        this.node = node;
        this.pid = pid;
        this.inbox = inbox;
        this.history = history;
    }

    /** Spawns a probe on {@code node}. */
    public static TestProbe spawn(Node node) {
        return spawn(node, null, false);
    }

    /**
     * Spawns a probe registered as {@code name} (null: not registered); when {@code trapExit}, exit signals become
     * messages.
     */
    public static TestProbe spawn(Node node, @Nullable String name, boolean trapExit) {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        List<Received> history = java.util.Collections.synchronizedList(new ArrayList<>());
        Pid pid = name == null
                ? node.spawn(ProbeActor::new, ProcessOptions.defaults(), inbox, history, trapExit)
                : node.spawnRegister(name, ProbeActor::new, ProcessOptions.defaults(), inbox, history, trapExit);
        return new TestProbe(node, pid, inbox, history);
    }

    public Pid pid() {
        return pid;
    }

    public Node node() {
        return node;
    }

    // ------------------------------------------------------------------ expectations

    /** The next message, whatever it is. */
    public Object expectMessage(Duration timeout) {
        return expectReceived(timeout).message();
    }

    /** The next message with its sender. */
    public Received expectReceived(Duration timeout) {
        try {
            Received r = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null) {
                throw new AssertionError("probe " + pid + " received nothing within " + timeout.toMillis() + " ms");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a message", e);
        }
    }

    /** The next message, which must be a {@code type}. */
    public <T> T expectMessage(Class<T> type, Duration timeout) {
        Object m = expectMessage(timeout);
        if (!type.isInstance(m)) {
            throw new AssertionError("probe " + pid + " expected a " + type.getName() + " but got " + describe(m));
        }
        return type.cast(m);
    }

    /** The next message, which must equal {@code expected}. */
    public Object expectMessage(@Nullable Object expected, Duration timeout) {
        Object m = expectMessage(timeout);
        if (!Objects.equals(expected, m)) {
            throw new AssertionError("probe " + pid + " expected " + describe(expected) + " but got " + describe(m));
        }
        return m;
    }

    /** Skips messages until one matches, failing when none does in time. */
    public Object expectMessageMatching(Predicate<Object> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Object> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("probe " + pid + ": no matching message within " + timeout.toMillis()
                        + " ms; skipped " + skipped);
            }
            Received r;
            try {
                r = inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            if (r != null) {
                if (condition.test(r.message())) {
                    return r.message();
                }
                skipped.add(r.message());
            }
        }
    }

    /** Fails if anything arrives within {@code duration}. */
    public void expectNoMessage(Duration duration) {
        try {
            Received r = inbox.poll(duration.toNanos(), TimeUnit.NANOSECONDS);
            if (r != null) {
                throw new AssertionError(
                        "probe " + pid + " expected no message but got " + describe(r.message()) + " from " + r.from());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * The next published event if one arrives within {@code timeout}, else empty: for draining what came so far.
     * A message that is not an event fails, as in {@link #expectEvent}.
     */
    public java.util.Optional<MessageEvent> pollEvent(Duration timeout) {
        try {
            Received r = inbox.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (r == null) {
                return java.util.Optional.empty();
            }
            if (!(r.message() instanceof MessageEvent e)) {
                throw new AssertionError("probe " + pid + " expected an event, got " + r.message());
            }
            return java.util.Optional.of(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for an event", e);
        }
    }

    /** The next message, which must be a published event. */
    public MessageEvent expectEvent(Duration timeout) {
        return expectMessage(MessageEvent.class, timeout);
    }

    /** Skips to the down message of a monitored process. */
    public MessageDownPid expectDown(Pid target, Duration timeout) {
        return (MessageDownPid) expectMessageMatching(
                m -> m instanceof MessageDownPid d && d.pid().equals(target), timeout);
    }

    /** Skips to the exit message of a linked process (the probe must trap exits). */
    public MessageExitPid expectExit(Pid target, Duration timeout) {
        return (MessageExitPid) expectMessageMatching(
                m -> m instanceof MessageExitPid e && e.pid().equals(target), timeout);
    }

    /** Everything received so far, including what was already taken by the expectations. */
    public List<Received> receivedMessages() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    // ------------------------------------------------------------------ actions, done by the probe process itself

    public void send(Object to, Object message) {
        run(p -> {
            p.send(to, message);
            return null;
        });
    }

    public @Nullable Object call(Object to, Object request, Duration timeout) {
        return run(p -> p.call(to, request, timeout), timeout.plus(DEFAULT_TIMEOUT));
    }

    public void link(Object target) {
        run(p -> {
            p.link(target);
            return null;
        });
    }

    public Ref monitor(Object target) {
        return (Ref) run(p -> p.monitor(target));
    }

    public List<MessageEvent> monitorEvent(Event event) {
        @SuppressWarnings("unchecked")
        List<MessageEvent> buffered = (List<MessageEvent>) run(p -> p.monitorEvent(event));
        return buffered;
    }

    public List<MessageEvent> linkEvent(Event event) {
        @SuppressWarnings("unchecked")
        List<MessageEvent> buffered = (List<MessageEvent>) run(p -> p.linkEvent(event));
        return buffered;
    }

    /** Runs {@code action} as the probe process, on its own turn, and returns its result. */
    public @Nullable Object run(Function<Process, @Nullable Object> action) {
        return run(action, DEFAULT_TIMEOUT);
    }

    private @Nullable Object run(Function<Process, @Nullable Object> action, Duration timeout) {
        CompletableFuture<@Nullable Object> result = new CompletableFuture<>();
        node.send(pid, new Command(action, result));
        try {
            return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new AssertionError("probe action failed", e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("probe " + pid + " did not run the action within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String describe(@Nullable Object m) {
        return m == null ? "null" : m + " (" + m.getClass().getName() + ")";
    }

    /** Something the probe must do as itself. */
    record Command(Function<Process, @Nullable Object> action, CompletableFuture<@Nullable Object> result) {}

    /** The probe's behaviour: runs commands, records the rest. */
    static final class ProbeActor extends Actor {
        private BlockingQueue<Received> inbox;
        private List<Received> history;

        @Override
        @SuppressWarnings("unchecked")
        protected void init(Object... args) {
            inbox = (BlockingQueue<Received>) args[0];
            history = (List<Received>) args[1];
            setTrapExit((Boolean) args[2]);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof Command c) {
                try {
                    c.result().complete(c.action().apply(self()));
                } catch (RuntimeException e) {
                    c.result().completeExceptionally(e);
                }
                return;
            }
            record(from, message);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            record(from, request);
            return request;
        }

        @Override
        protected void handleEvent(MessageEvent event) {
            record(node().corePid(), event);
        }

        private void record(Pid from, Object message) {
            Received r = new Received(from, message);
            history.add(r);
            inbox.add(r);
        }
    }

    /** True for exit and down messages: handy in {@link #expectMessageMatching}. */
    public static boolean isNotification(Object message) {
        return message instanceof MessageExit || message instanceof MessageDown;
    }
}
