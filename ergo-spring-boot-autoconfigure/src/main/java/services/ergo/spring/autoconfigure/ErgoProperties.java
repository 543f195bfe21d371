package services.ergo.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NodeOptions;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * The node under {@code ergo.*}: the node itself, its network, the registrar it uses (the embedded one's settings;
 * the etcd registrar's are {@link ErgoEtcdRegistrarProperties}), its applications and its shutdown. Leader groups,
 * the inspector and the metrics have classes of their own. Defaults are the core's constants
 * ({@code NodeOptions.DEFAULT_*}, {@code NetworkOptions.DEFAULT_*}, {@code EmbeddedRegistrar.Options.DEFAULT_*}),
 * so an unset property keeps the core's default; the mappers ({@code NodeOptionsMapper} and friends) turn these
 * into the core's options, whose rules decide what is refused.
 *
 * <pre>
 * ergo:
 *   node:
 *     name: worker@host1
 *     cookie: ${ERGO_COOKIE}
 *   network:
 *     port: 11144
 *   applications:
 *     jobs:
 *       weight: 10
 * </pre>
 */
@ConfigurationProperties("ergo")
public class ErgoProperties {

    /** Whether to run an Ergo node in this application. */
    private boolean enabled = true;

    private final Node node = new Node();

    private final Network network = new Network();

    private final Registrar registrar = new Registrar();

    /** Applications by name: weight, mode and whether they start with the node. Overrides @ErgoApplication. */
    private final Map<String, Application> applications = new LinkedHashMap<>();

    private final Shutdown shutdown = new Shutdown();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Node getNode() {
        return node;
    }

    public Network getNetwork() {
        return network;
    }

    public Registrar getRegistrar() {
        return registrar;
    }

    public Map<String, Application> getApplications() {
        return applications;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    /** The node itself. */
    public static class Node {

        /**
         * The node's name, name@host. Defaults to ${spring.application.name}@ the machine's host name ("ergo" when
         * the application has no name).
         */
        private String name;

        /** The shared secret nodes prove to each other in the handshake; it never travels. Empty by default. */
        private String cookie;

        /** Scheduler threads that run process handlers. Defaults to the number of available processors. */
        private Integer schedulerThreads;

        /** How long a call waits for its answer by default. */
        private Duration callTimeout = NodeOptions.DEFAULT_CALL_TIMEOUT;

        /** Node environment: values every process can read with env(name). */
        private Map<String, String> env = new LinkedHashMap<>();

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getCookie() {
            return cookie;
        }

        public void setCookie(String cookie) {
            this.cookie = cookie;
        }

        public Integer getSchedulerThreads() {
            return schedulerThreads;
        }

        public void setSchedulerThreads(Integer schedulerThreads) {
            this.schedulerThreads = schedulerThreads;
        }

        public Duration getCallTimeout() {
            return callTimeout;
        }

        public void setCallTimeout(Duration callTimeout) {
            this.callTimeout = callTimeout;
        }

        public Map<String, String> getEnv() {
            return env;
        }

        public void setEnv(Map<String, String> env) {
            this.env = env;
        }
    }

    /** Node-to-node networking: the acceptor, TLS and what other nodes may start here. */
    public static class Network {

        /** Whether the node talks to other nodes (an acceptor and a registrar). */
        private boolean enabled = NodeOptions.defaults().network().enabled();

        /**
         * Whether the node stays out of the registrar: it dials the others and sees the cluster, but no one lists
         * or resolves it (the standalone Observer runs so).
         */
        private boolean hidden = NetworkOptions.DEFAULT_HIDDEN;

        /** Address the acceptor binds to and advertises. */
        private String host = NetworkOptions.DEFAULT_HOST;

        /** First acceptor port tried; the next ones up to port-range are tried when it is taken. */
        private int port = NetworkOptions.DEFAULT_PORT;

        /** How many ports above port the acceptor may take when port is in use. */
        private int portRange = NetworkOptions.DEFAULT_PORT_RANGE;

        /** TCP connections (lanes) to each other node; order is kept per sender and receiver. */
        private int poolSize = NetworkOptions.DEFAULT_POOL_SIZE;

        /** Largest message accepted from or sent to another node. */
        private DataSize maxMessageSize = DataSize.ofBytes(NetworkOptions.DEFAULT_MAX_MESSAGE_SIZE);

        /** How long a peer has to complete the handshake. */
        private Duration handshakeTimeout = NetworkOptions.DEFAULT_HANDSHAKE_TIMEOUT;

        /** How often a lane with nothing to send pings its peer. */
        private Duration keepaliveInterval = NetworkOptions.DEFAULT_KEEPALIVE_INTERVAL;

        /** How many keepalive intervals a lane may stay silent before it is closed as dead. */
        private int keepaliveMisses = NetworkOptions.DEFAULT_KEEPALIVE_MISSES;

        /** Accepted connections that may be in their handshake at once; more are closed at once. */
        private int maxPendingHandshakes = NetworkOptions.DEFAULT_MAX_PENDING_HANDSHAKES;

        /** Accepted connections from one remote address that may be in their handshake at once. */
        private int maxPendingHandshakesPerAddress = NetworkOptions.DEFAULT_MAX_PENDING_HANDSHAKES_PER_ADDRESS;

        /** Bytes a connection may hold for a peer that does not read them; past it sends fail. */
        private DataSize maxOutbox = DataSize.ofBytes(NetworkOptions.DEFAULT_MAX_OUTBOX_BYTES);

        private final Tls tls = new Tls();

        private final RemoteSpawn remoteSpawn = new RemoteSpawn();

        private final RemoteApplicationStart remoteApplicationStart = new RemoteApplicationStart();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isHidden() {
            return hidden;
        }

        public void setHidden(boolean hidden) {
            this.hidden = hidden;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public int getPortRange() {
            return portRange;
        }

        public void setPortRange(int portRange) {
            this.portRange = portRange;
        }

        public int getPoolSize() {
            return poolSize;
        }

        public void setPoolSize(int poolSize) {
            this.poolSize = poolSize;
        }

        public DataSize getMaxMessageSize() {
            return maxMessageSize;
        }

        public void setMaxMessageSize(DataSize maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        public Duration getHandshakeTimeout() {
            return handshakeTimeout;
        }

        public void setHandshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = handshakeTimeout;
        }

        public Duration getKeepaliveInterval() {
            return keepaliveInterval;
        }

        public void setKeepaliveInterval(Duration keepaliveInterval) {
            this.keepaliveInterval = keepaliveInterval;
        }

        public int getKeepaliveMisses() {
            return keepaliveMisses;
        }

        public void setKeepaliveMisses(int keepaliveMisses) {
            this.keepaliveMisses = keepaliveMisses;
        }

        public int getMaxPendingHandshakes() {
            return maxPendingHandshakes;
        }

        public void setMaxPendingHandshakes(int maxPendingHandshakes) {
            this.maxPendingHandshakes = maxPendingHandshakes;
        }

        public int getMaxPendingHandshakesPerAddress() {
            return maxPendingHandshakesPerAddress;
        }

        public void setMaxPendingHandshakesPerAddress(int maxPendingHandshakesPerAddress) {
            this.maxPendingHandshakesPerAddress = maxPendingHandshakesPerAddress;
        }

        public DataSize getMaxOutbox() {
            return maxOutbox;
        }

        public void setMaxOutbox(DataSize maxOutbox) {
            this.maxOutbox = maxOutbox;
        }

        public Tls getTls() {
            return tls;
        }

        public RemoteSpawn getRemoteSpawn() {
            return remoteSpawn;
        }

        public RemoteApplicationStart getRemoteApplicationStart() {
            return remoteApplicationStart;
        }
    }

    /** TLS between nodes. */
    public static class Tls {

        /** off, self-signed (development: encrypted, identity from the cookie) or certificates. */
        private TlsMode mode = TlsMode.OFF;

        /**
         * PEM certificate chain of this node (mode certificates); its certificate names the node (subject alternative
         * name email:name@host or uri:ergo://name@host) and its host.
         */
        private Path certificateChain;

        /** PEM private key of this node (mode certificates). */
        private Path privateKey;

        /** PEM CA certificates that sign the other nodes' certificates (mode certificates). */
        private Path trustedCertificates;

        public TlsMode getMode() {
            return mode;
        }

        public void setMode(TlsMode mode) {
            this.mode = mode;
        }

        public Path getCertificateChain() {
            return certificateChain;
        }

        public void setCertificateChain(Path certificateChain) {
            this.certificateChain = certificateChain;
        }

        public Path getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(Path privateKey) {
            this.privateKey = privateKey;
        }

        public Path getTrustedCertificates() {
            return trustedCertificates;
        }

        public void setTrustedCertificates(Path trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }
    }

    /** How nodes talk TLS. */
    public enum TlsMode {
        OFF,
        SELF_SIGNED,
        CERTIFICATES
    }

    /** Spawning this node's @ErgoActor(remoteSpawn = true) actors from other nodes. */
    public static class RemoteSpawn {

        /** Whether other nodes may spawn processes here at all. */
        private boolean enabled = NetworkOptions.DEFAULT_REMOTE_SPAWN;

        /** Per actor name, the nodes that may spawn it; any node of the cluster when an actor is not listed. */
        private Map<String, List<String>> allowedNodes = new LinkedHashMap<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Map<String, List<String>> getAllowedNodes() {
            return allowedNodes;
        }

        public void setAllowedNodes(Map<String, List<String>> allowedNodes) {
            this.allowedNodes = allowedNodes;
        }
    }

    /** Starting this node's applications from other nodes. */
    public static class RemoteApplicationStart {

        /** Whether other nodes may start applications here at all. */
        private boolean enabled = NetworkOptions.DEFAULT_REMOTE_APPLICATION_START;

        /**
         * Per application, the nodes that may start it (an empty list: any node). An application not listed cannot
         * be started from another node.
         */
        private Map<String, List<String>> allowedNodes = new LinkedHashMap<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Map<String, List<String>> getAllowedNodes() {
            return allowedNodes;
        }

        public void setAllowedNodes(Map<String, List<String>> allowedNodes) {
            this.allowedNodes = allowedNodes;
        }
    }

    /** Service discovery: which registrar, and the embedded one's settings. */
    public static class Registrar {

        /** Which registrar finds the other nodes. */
        private RegistrarType type = RegistrarType.EMBEDDED;

        private final Embedded embedded = new Embedded();

        public RegistrarType getType() {
            return type;
        }

        public void setType(RegistrarType type) {
            this.type = type;
        }

        public Embedded getEmbedded() {
            return embedded;
        }
    }

    /** Which registrar a node uses. */
    public enum RegistrarType {
        /** The first node on a host serves the others; no infrastructure. */
        EMBEDDED,
        /** etcd, through jetcd (needs services.ergo:ergo-registrar-etcd). */
        ETCD,
        /** A Saturn server, one push connection per node (needs services.ergo:ergo-registrar-saturn). */
        SATURN
    }

    /** The embedded registrar. */
    public static class Embedded {

        /** TCP (registration) and UDP (resolution) port of the registrar on each host. */
        private int port = EmbeddedRegistrar.Options.DEFAULT_PORT;

        /** Address the serving node listens on, for registration (TCP) and resolution (UDP). */
        private String host = EmbeddedRegistrar.Options.DEFAULT_HOST;

        /** How long a resolution waits for the other host's answer. */
        private Duration resolveTimeout = EmbeddedRegistrar.Options.DEFAULT_RESOLVE_TIMEOUT;

        /** How often a node retries registering or taking over a lost registrar. */
        private Duration retryInterval = EmbeddedRegistrar.Options.DEFAULT_RETRY_INTERVAL;

        /**
         * Whether a resolution across hosts also takes answers without the query's id, as a registrar of the
         * previous release sends them: on only during a rolling upgrade from it, since anyone who can send a
         * datagram to this node can forge such an answer.
         */
        private boolean legacyResolve = EmbeddedRegistrar.Options.DEFAULT_LEGACY_RESOLVE;

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getHost() {
            return host;
        }

        public void setHost(String host) {
            this.host = host;
        }

        public Duration getResolveTimeout() {
            return resolveTimeout;
        }

        public void setResolveTimeout(Duration resolveTimeout) {
            this.resolveTimeout = resolveTimeout;
        }

        public Duration getRetryInterval() {
            return retryInterval;
        }

        public void setRetryInterval(Duration retryInterval) {
            this.retryInterval = retryInterval;
        }

        public boolean isLegacyResolve() {
            return legacyResolve;
        }

        public void setLegacyResolve(boolean legacyResolve) {
            this.legacyResolve = legacyResolve;
        }
    }

    /** One application's settings; each overrides the @ErgoApplication value when set. */
    public static class Application {

        /** The weight other nodes use to pick this node for the application; 0 drains it. */
        private Integer weight;

        /** What a member's termination does: temporary, transient or permanent. */
        private ApplicationMode mode;

        /** Whether the application starts with the node (otherwise it is only loaded). */
        private Boolean start;

        /** A line about the application, shown by the Observer. */
        private String description;

        public Integer getWeight() {
            return weight;
        }

        public void setWeight(Integer weight) {
            this.weight = weight;
        }

        public ApplicationMode getMode() {
            return mode;
        }

        public void setMode(ApplicationMode mode) {
            this.mode = mode;
        }

        public Boolean getStart() {
            return start;
        }

        public void setStart(Boolean start) {
            this.start = start;
        }

        public String getDescription() {
            return description;
        }

        public void setDescription(String description) {
            this.description = description;
        }
    }

    /** How the node leaves. */
    public static class Shutdown {

        /** How long the node waits for queued messages to be handled before it stops its applications. */
        private Duration gracePeriod = Duration.ofSeconds(10);

        public Duration getGracePeriod() {
            return gracePeriod;
        }

        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }
    }
}
