package services.ergo.saturn.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import services.ergo.saturn.server.SaturnServerOptions;

/**
 * The runnable Saturn server's {@code saturn.server.*} properties. Every default but the port is
 * {@link SaturnServerOptions#defaults()}'s, so the defaults live in one place.
 *
 * <pre>
 * saturn:
 *   server:
 *     host: 0.0.0.0
 *     clusters:
 *       production: ${SATURN_TOKEN}
 *     tls:
 *       certificate: /etc/saturn/fullchain.pem
 *       private-key: /etc/saturn/private.pem
 * </pre>
 */
@ConfigurationProperties("saturn.server")
public class SaturnServerProperties {
    private static final SaturnServerOptions DEFAULTS = SaturnServerOptions.defaults();

    /** The port Saturn listens on unless told otherwise (raw TCP; Actuator's HTTP port is server.port). */
    public static final int DEFAULT_PORT = 4499;

    /** The address Saturn listens on; 0.0.0.0 for every interface (nodes on other machines). */
    private String host = DEFAULTS.host();

    /** Saturn's TCP port, what the nodes' ergo.registrar.saturn.servers name; 0 for any free port. */
    private int port = DEFAULT_PORT;

    /** How long a connection may stay silent before its node is removed; clients ping every third of it. */
    private Duration ttl = DEFAULTS.ttl();

    /** How many recent changes each cluster keeps for clients that resume or fall behind. */
    private int historySize = DEFAULTS.historySize();

    /**
     * How many bytes may wait to be sent to one client; a client past it is sent nothing more until it reads, and a
     * snapshot if it fell out of the history meanwhile. Times the clients, it bounds the server's send memory.
     */
    private int clientQueueBytes = DEFAULTS.clientQueueBytes();

    /** The largest frame the server reads or writes (a snapshot comes in pages, so this bounds a page too). */
    private int maxFrameBytes = DEFAULTS.limits().maxFrameBytes();

    /** The most entries in one snapshot page. */
    private int pageEntries = DEFAULTS.pageEntries();

    /** How long a new connection has to prove its token and register before it is closed. */
    private Duration handshakeTimeout = DEFAULTS.handshakeTimeout();

    /**
     * How many registrations are admitted per second, all clusters together (0: no bound); the others are refused
     * as busy and told when to come back, so a restart's herd returns at this rate.
     */
    private int registrationsPerSecond = DEFAULTS.registrationsPerSecond();

    /** How many registrations may come at once before registrations-per-second applies. */
    private int registrationBurst = DEFAULTS.registrationBurst();

    /**
     * How long a client's round waits after the change that woke it, gathering the changes that follow into the
     * same frame (0: at once); it bounds the frames per client per second under churn, for at most this latency.
     */
    private Duration round = DEFAULTS.round();

    /** The event loops the connections are spread over (0: one per core). */
    private int ioThreads = DEFAULTS.ioThreads();

    /**
     * The {@code saturn.yaml} with the clusters, tokens and configuration items (docs/saturn.md, "saturn.yaml"),
     * read at the start, where a bad file stops it, and again whenever it changes, pushing only what changed (a bad
     * file then is logged and counted, and the configuration in force stays). Its clusters may not be named by
     * {@code clusters} or {@code tokens} too.
     */
    private @Nullable Path configFile;

    /**
     * Each cluster's own token (cluster name to token, at least 16 characters), for setups without a
     * config-file; the token may register any node name (use tokens for restricted ones). Never logged.
     */
    private Map<String, String> clusters = new LinkedHashMap<>();

    /** More tokens of the clusters, each with an id and perhaps a pattern of the node names it may claim. */
    private List<Token> tokens = new ArrayList<>();

    /** TLS: on by default; a certificate and key, a self-signed one for development, or off explicitly. */
    private final Tls tls = new Tls();

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

    public Duration getTtl() {
        return ttl;
    }

    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    public int getHistorySize() {
        return historySize;
    }

    public void setHistorySize(int historySize) {
        this.historySize = historySize;
    }

    public int getClientQueueBytes() {
        return clientQueueBytes;
    }

    public void setClientQueueBytes(int clientQueueBytes) {
        this.clientQueueBytes = clientQueueBytes;
    }

    public int getMaxFrameBytes() {
        return maxFrameBytes;
    }

    public void setMaxFrameBytes(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    public int getPageEntries() {
        return pageEntries;
    }

    public void setPageEntries(int pageEntries) {
        this.pageEntries = pageEntries;
    }

    public Duration getHandshakeTimeout() {
        return handshakeTimeout;
    }

    public void setHandshakeTimeout(Duration handshakeTimeout) {
        this.handshakeTimeout = handshakeTimeout;
    }

    public int getRegistrationsPerSecond() {
        return registrationsPerSecond;
    }

    public void setRegistrationsPerSecond(int registrationsPerSecond) {
        this.registrationsPerSecond = registrationsPerSecond;
    }

    public int getRegistrationBurst() {
        return registrationBurst;
    }

    public void setRegistrationBurst(int registrationBurst) {
        this.registrationBurst = registrationBurst;
    }

    public Duration getRound() {
        return round;
    }

    public void setRound(Duration round) {
        this.round = round;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public @Nullable Path getConfigFile() {
        return configFile;
    }

    public void setConfigFile(@Nullable Path configFile) {
        this.configFile = configFile;
    }

    public Map<String, String> getClusters() {
        return clusters;
    }

    public void setClusters(Map<String, String> clusters) {
        this.clusters = clusters;
    }

    public List<Token> getTokens() {
        return tokens;
    }

    public void setTokens(List<Token> tokens) {
        this.tokens = tokens;
    }

    public Tls getTls() {
        return tls;
    }

    /** A named token of a cluster ({@code SaturnToken}); a client names it with ergo.registrar.saturn.token-id. */
    public static class Token {
        /** The cluster it is a token of. */
        private @Nullable String cluster;

        /** Its id, what a client sends to say which token it holds (not a secret). */
        private @Nullable String id;

        /** The token itself, at least 16 characters. Never logged. */
        private @Nullable String secret;

        /** A regular expression the whole node name must match (e.g. worker\d+@.*); empty: any name. */
        private @Nullable String names;

        public @Nullable String getCluster() {
            return cluster;
        }

        public void setCluster(@Nullable String cluster) {
            this.cluster = cluster;
        }

        public @Nullable String getId() {
            return id;
        }

        public void setId(@Nullable String id) {
            this.id = id;
        }

        public @Nullable String getSecret() {
            return secret;
        }

        public void setSecret(@Nullable String secret) {
            this.secret = secret;
        }

        public @Nullable String getNames() {
            return names;
        }

        public void setNames(@Nullable String names) {
            this.names = names;
        }
    }

    /** How Saturn's port serves TLS. */
    public static class Tls {
        /**
         * Whether Saturn serves TLS. On by default: then a certificate and private-key, or self-signed, must be
         * given. False serves plain TCP, for development only.
         */
        private boolean enabled = true;

        /** The server's certificate chain, a PEM file (the server's own certificate first). */
        private @Nullable Path certificate;

        /** The private key of the certificate, a PEM file (PKCS#8). */
        private @Nullable Path privateKey;

        /**
         * Generate a self-signed certificate at start, for development only; its SHA-256 fingerprint and the file
         * to trust are logged. Clients verify it with ergo.registrar.saturn.tls.trusted-certificates=that file.
         */
        private boolean selfSigned;

        /** The host names and addresses the self-signed certificate is for, besides localhost and the host. */
        private List<String> selfSignedNames = new ArrayList<>();

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Path getCertificate() {
            return certificate;
        }

        public void setCertificate(@Nullable Path certificate) {
            this.certificate = certificate;
        }

        public @Nullable Path getPrivateKey() {
            return privateKey;
        }

        public void setPrivateKey(@Nullable Path privateKey) {
            this.privateKey = privateKey;
        }

        public boolean isSelfSigned() {
            return selfSigned;
        }

        public void setSelfSigned(boolean selfSigned) {
            this.selfSigned = selfSigned;
        }

        public List<String> getSelfSignedNames() {
            return selfSignedNames;
        }

        public void setSelfSignedNames(List<String> selfSignedNames) {
            this.selfSignedNames = selfSignedNames;
        }
    }
}
