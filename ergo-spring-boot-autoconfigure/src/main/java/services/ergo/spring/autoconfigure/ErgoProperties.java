package services.ergo.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import services.ergo.gen.ApplicationMode;

/**
 * Everything under {@code ergo.*}: the node, its network, its registrar, its applications and its shutdown.
 * Defaults are the core's ({@code NodeOptions}, {@code NetworkOptions}, {@code EmbeddedRegistrar.Options},
 * {@code EtcdRegistrarOptions}); an unset property leaves the core default in place.
 *
 * <pre>
 * ergo:
 *   node:
 *     name: worker@host1
 *     cookie: ${ERGO_COOKIE}
 *   registrar:
 *     type: etcd
 *     etcd:
 *       endpoints: http://etcd:2379
 *       cluster: production
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

    private final Leader leader = new Leader();

    private final Inspector inspector = new Inspector();

    private final Shutdown shutdown = new Shutdown();

    private final Metrics metrics = new Metrics();

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

    public Leader getLeader() {
        return leader;
    }

    public Inspector getInspector() {
        return inspector;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Metrics getMetrics() {
        return metrics;
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
        private Duration callTimeout = Duration.ofSeconds(5);

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
        private boolean enabled = true;

        /**
         * Whether the node stays out of the registrar: it dials the others and sees the cluster, but no one lists
         * or resolves it (the standalone Observer runs so).
         */
        private boolean hidden = false;

        /** Address the acceptor binds to and advertises. */
        private String host = "localhost";

        /** First acceptor port tried; the next ones up to port-range are tried when it is taken. */
        private int port = 11144;

        /** How many ports above port the acceptor may take when port is in use. */
        private int portRange = 100;

        /** TCP links per connection between two nodes. */
        private int poolSize = 3;

        /** Largest message accepted from or sent to another node. */
        private DataSize maxMessageSize = DataSize.ofMegabytes(16);

        /** How long a peer has to complete the handshake. */
        private Duration handshakeTimeout = Duration.ofSeconds(5);

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

        /** PEM certificate chain of this node (mode certificates). */
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
        private boolean enabled = true;

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
        private boolean enabled = true;

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

    /** Service discovery. */
    public static class Registrar {

        /** Which registrar finds the other nodes. */
        private RegistrarType type = RegistrarType.EMBEDDED;

        private final Embedded embedded = new Embedded();

        private final Etcd etcd = new Etcd();

        public RegistrarType getType() {
            return type;
        }

        public void setType(RegistrarType type) {
            this.type = type;
        }

        public Embedded getEmbedded() {
            return embedded;
        }

        public Etcd getEtcd() {
            return etcd;
        }
    }

    /** Which registrar a node uses. */
    public enum RegistrarType {
        /** The first node on a host serves the others; no infrastructure. */
        EMBEDDED,
        /** etcd, through jetcd (needs services.ergo:ergo-registrar-etcd). */
        ETCD
    }

    /** The embedded registrar. */
    public static class Embedded {

        /** TCP (registration) and UDP (resolution) port of the registrar on each host. */
        private int port = 4499;

        /** Address the serving node listens on for registration. */
        private String host = "localhost";

        /** How long a resolution waits for the other host's answer. */
        private Duration resolveTimeout = Duration.ofSeconds(3);

        /** How often a node retries registering or taking over a lost registrar. */
        private Duration retryInterval = Duration.ofSeconds(1);

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
    }

    /** The etcd registrar. */
    public static class Etcd {

        /** etcd client URLs. */
        private List<String> endpoints = new ArrayList<>(List.of("http://localhost:2379"));

        /** The cluster's name: nodes see the nodes, applications and configuration of their cluster only. */
        private String cluster = "default";

        /** How long a node that stopped keeping its lease alive stays registered. */
        private Duration leaseTtl = Duration.ofSeconds(10);

        /** etcd user name, when etcd has authentication on. */
        private String username;

        /** etcd password, with username. */
        private String password;

        /** PEM CA certificates for https endpoints. */
        private Path trustedCertificates;

        /** How long one etcd request may take. */
        private Duration requestTimeout = Duration.ofSeconds(5);

        public List<String> getEndpoints() {
            return endpoints;
        }

        public void setEndpoints(List<String> endpoints) {
            this.endpoints = endpoints;
        }

        public String getCluster() {
            return cluster;
        }

        public void setCluster(String cluster) {
            this.cluster = cluster;
        }

        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public Path getTrustedCertificates() {
            return trustedCertificates;
        }

        public void setTrustedCertificates(Path trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }

        public Duration getRequestTimeout() {
            return requestTimeout;
        }

        public void setRequestTimeout(Duration requestTimeout) {
            this.requestTimeout = requestTimeout;
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

    /** Leader election groups, for leader actors declared as beans (ErgoLeaderGroups.options(id)). */
    public static class Leader {

        /** Groups by cluster id: the members and the election's timing. */
        private Map<String, LeaderGroup> groups = new LinkedHashMap<>();

        public Map<String, LeaderGroup> getGroups() {
            return groups;
        }

        public void setGroups(Map<String, LeaderGroup> groups) {
            this.groups = groups;
        }
    }

    /** One leader election group. */
    public static class LeaderGroup {

        /**
         * The group's first membership: every member as name@node, the same list on each node. The quorum is a
         * majority of the members, never of those seen so far. A node whose member is not listed joins the running
         * group at run time: it asks the listed members, and the leader adds it. Once the membership has changed,
         * each member keeps it in its state directory, and that wins over this list.
         */
        private List<String> peers = new ArrayList<>();

        /** Members that follow the registrar: the nodes running an application. */
        private final LeaderDiscovery discovery = new LeaderDiscovery();

        /** Shortest election timeout: how long a follower waits for the leader before it stands. */
        private Duration electionTimeoutMin = Duration.ofMillis(150);

        /** Longest election timeout (exclusive); each wait is random between min and max. */
        private Duration electionTimeoutMax = Duration.ofMillis(300);

        /** How often the leader tells the others it leads; well below the minimum election timeout. */
        private Duration heartbeat = Duration.ofMillis(50);

        /**
         * Where each member keeps its term and vote, so a restarted member never votes twice in a term. Defaults to
         * ${java.io.tmpdir}/ergo-leader; use a persistent directory in production.
         */
        private Path stateDirectory;

        public List<String> getPeers() {
            return peers;
        }

        public LeaderDiscovery getDiscovery() {
            return discovery;
        }

        public void setPeers(List<String> peers) {
            this.peers = peers;
        }

        public Duration getElectionTimeoutMin() {
            return electionTimeoutMin;
        }

        public void setElectionTimeoutMin(Duration electionTimeoutMin) {
            this.electionTimeoutMin = electionTimeoutMin;
        }

        public Duration getElectionTimeoutMax() {
            return electionTimeoutMax;
        }

        public void setElectionTimeoutMax(Duration electionTimeoutMax) {
            this.electionTimeoutMax = electionTimeoutMax;
        }

        public Duration getHeartbeat() {
            return heartbeat;
        }

        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        public Path getStateDirectory() {
            return stateDirectory;
        }

        public void setStateDirectory(Path stateDirectory) {
            this.stateDirectory = stateDirectory;
        }
    }

    /** A leader group whose members follow the registrar's application routes. */
    public static class LeaderDiscovery {

        /**
         * The application whose nodes are the members: the leader adds the member on each node where it runs (the
         * registrar's routes; etcd publishes them, the embedded registrar does not) and removes those gone from
         * them for remove-after. Unset: the membership changes only when a member joins or is removed on request.
         */
        private String application;

        /** How long a member's node may be missing from the application's routes before the leader removes it. */
        private Duration removeAfter = Duration.ofSeconds(30);

        public String getApplication() {
            return application;
        }

        public void setApplication(String application) {
            this.application = application;
        }

        public Duration getRemoveAfter() {
            return removeAfter;
        }

        public void setRemoveAfter(Duration removeAfter) {
            this.removeAfter = removeAfter;
        }
    }

    /** The inspector process the Observer of any node uses to look at this one. */
    public static class Inspector {

        /** Whether to run the inspector process (ergo_inspector) on this node. */
        private boolean enabled = true;

        /** How many recent log lines the inspector keeps for the Observer's live log. */
        private int logLines = 2000;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getLogLines() {
            return logLines;
        }

        public void setLogLines(int logLines) {
            this.logLines = logLines;
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

    /** The ergo_* meters. */
    public static class Metrics {

        /** Whether to publish the ergo_* meters to the MeterRegistry. */
        private boolean enabled = true;

        /** How many of the deepest mailboxes to publish as ergo_process_mailbox_depth. */
        private int topMailboxes = 10;

        /** How often the per-remote-node and top-mailbox series are refreshed. */
        private Duration refreshInterval = Duration.ofSeconds(5);

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getTopMailboxes() {
            return topMailboxes;
        }

        public void setTopMailboxes(int topMailboxes) {
            this.topMailboxes = topMailboxes;
        }

        public Duration getRefreshInterval() {
            return refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            this.refreshInterval = refreshInterval;
        }
    }
}
