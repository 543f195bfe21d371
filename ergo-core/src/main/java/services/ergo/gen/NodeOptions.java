package services.ergo.gen;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * How a node runs. Immutable; every default is stated here (the {@code DEFAULT_} constants) and nowhere else. A
 * refused value throws {@link InvalidOptionException} naming the builder method it was given to.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><td>cookie</td><td>empty (set one for a cluster)</td></tr>
 *   <tr><td>schedulerThreads</td><td>the number of available processors</td></tr>
 *   <tr><td>maxSchedulerThreads</td><td>1024: workers added while others block in calls</td></tr>
 *   <tr><td>messagesPerTurn</td><td>256: messages a process handles before it yields its worker</td></tr>
 *   <tr><td>idleSpin</td><td>50 µs: how long an idle worker spins before it parks</td></tr>
 *   <tr><td>callSpin</td><td>20 µs: how long a blocking call spins before it parks</td></tr>
 *   <tr><td>callTimeout</td><td>5 s</td></tr>
 *   <tr><td>env</td><td>empty</td></tr>
 *   <tr><td>network</td><td>{@link NetworkOptions#on()}: on, acceptor on localhost:11144 and upward</td></tr>
 *   <tr><td>registrar</td><td>the embedded registrar on port 4499 ({@code EmbeddedRegistrar.Options#defaults()})</td></tr>
 * </table>
 *
 * <pre>{@code
 * NodeOptions options = NodeOptions.builder().cookie("secret").schedulerThreads(2).build();
 * }</pre>
 */
public final class NodeOptions {
    public static final int DEFAULT_MAX_SCHEDULER_THREADS = 1024;
    public static final int DEFAULT_MESSAGES_PER_TURN = 256;
    public static final Duration DEFAULT_IDLE_SPIN = Duration.ofNanos(50_000);
    public static final Duration DEFAULT_CALL_SPIN = Duration.ofNanos(20_000);
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);

    private static final NodeOptions DEFAULTS = builder().build();

    private final String cookie;
    private final int schedulerThreads;
    private final int maxSchedulerThreads;
    private final int messagesPerTurn;
    private final Duration idleSpin;
    private final Duration callSpin;
    private final Duration callTimeout;
    private final Map<String, Object> env;
    private final NetworkOptions network;
    private final @Nullable Supplier<? extends Registrar> registrar;

    private NodeOptions(Builder b) {
        this.cookie = b.cookie;
        this.schedulerThreads = b.schedulerThreads;
        this.maxSchedulerThreads = b.maxSchedulerThreads;
        this.messagesPerTurn = b.messagesPerTurn;
        this.idleSpin = b.idleSpin;
        this.callSpin = b.callSpin;
        this.callTimeout = b.callTimeout;
        this.env = Map.copyOf(b.env);
        this.network = b.network;
        this.registrar = b.registrar;
    }

    public static NodeOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.cookie = cookie;
        b.schedulerThreads = schedulerThreads;
        b.maxSchedulerThreads = maxSchedulerThreads;
        b.messagesPerTurn = messagesPerTurn;
        b.idleSpin = idleSpin;
        b.callSpin = callSpin;
        b.callTimeout = callTimeout;
        b.env.putAll(env);
        b.network = network;
        b.registrar = registrar;
        return b;
    }

    public String cookie() {
        return cookie;
    }

    public int schedulerThreads() {
        return schedulerThreads;
    }

    public int maxSchedulerThreads() {
        return maxSchedulerThreads;
    }

    public int messagesPerTurn() {
        return messagesPerTurn;
    }

    public Duration idleSpin() {
        return idleSpin;
    }

    public Duration callSpin() {
        return callSpin;
    }

    public Duration callTimeout() {
        return callTimeout;
    }

    public Map<String, Object> env() {
        return env;
    }

    public NetworkOptions network() {
        return network;
    }

    /** Makes the registrar of a node started with these options, or null for the embedded one with defaults. */
    public @Nullable Supplier<? extends Registrar> registrar() {
        return registrar;
    }

    /** Builds {@link NodeOptions}; each setter checks its value and names it in the error. */
    public static final class Builder {
        private String cookie = "";
        private int schedulerThreads = Runtime.getRuntime().availableProcessors();
        private int maxSchedulerThreads = DEFAULT_MAX_SCHEDULER_THREADS;
        private int messagesPerTurn = DEFAULT_MESSAGES_PER_TURN;
        private Duration idleSpin = DEFAULT_IDLE_SPIN;
        private Duration callSpin = DEFAULT_CALL_SPIN;
        private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
        private final Map<String, Object> env = new LinkedHashMap<>();
        private NetworkOptions network = NetworkOptions.on();
        private @Nullable Supplier<? extends Registrar> registrar;

        private Builder() {}

        public Builder network(NetworkOptions value) {
            if (value == null) {
                throw new InvalidOptionException("network", "network options must not be null");
            }
            this.network = value;
            return this;
        }

        /**
         * How each node started with these options makes its registrar (one registrar serves one node); null for
         * the embedded one with defaults.
         *
         * <pre>{@code
         * builder.registrar(() -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(4500)));
         * }</pre>
         */
        public Builder registrar(@Nullable Supplier<? extends Registrar> value) {
            this.registrar = value;
            return this;
        }

        public Builder cookie(String value) {
            this.cookie = value == null ? "" : value;
            return this;
        }

        public Builder schedulerThreads(int value) {
            if (value < 1) {
                throw new InvalidOptionException("schedulerThreads", "schedulerThreads must be >= 1, got " + value);
            }
            this.schedulerThreads = value;
            return this;
        }

        public Builder maxSchedulerThreads(int value) {
            if (value < 1) {
                throw new InvalidOptionException(
                        "maxSchedulerThreads", "maxSchedulerThreads must be >= 1, got " + value);
            }
            this.maxSchedulerThreads = value;
            return this;
        }

        public Builder messagesPerTurn(int value) {
            if (value < 1) {
                throw new InvalidOptionException("messagesPerTurn", "messagesPerTurn must be >= 1, got " + value);
            }
            this.messagesPerTurn = value;
            return this;
        }

        public Builder idleSpin(Duration value) {
            this.idleSpin = nonNegative("idleSpin", value);
            return this;
        }

        public Builder callSpin(Duration value) {
            this.callSpin = nonNegative("callSpin", value);
            return this;
        }

        public Builder callTimeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidOptionException("callTimeout", "callTimeout must be > 0, got " + value);
            }
            this.callTimeout = value;
            return this;
        }

        public Builder env(String key, Object value) {
            env.put(key, value);
            return this;
        }

        public NodeOptions build() {
            if (maxSchedulerThreads < schedulerThreads) {
                maxSchedulerThreads = schedulerThreads;
            }
            return new NodeOptions(this);
        }

        private static Duration nonNegative(String what, Duration value) {
            if (value == null || value.isNegative()) {
                throw new InvalidOptionException(what, what + " must be >= 0, got " + value);
            }
            return value;
        }
    }
}
