package services.ergo.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import services.ergo.leader.LeaderOptions;

/**
 * Leader election groups under {@code ergo.leader.*}, for leader actors declared as beans
 * ({@code LeaderGroups.options(id)}). Timing defaults are {@code LeaderOptions.DEFAULT_*}.
 *
 * <pre>
 * ergo:
 *   leader:
 *     groups:
 *       schedulers:
 *         peers: scheduler@node1@host1, scheduler@node2@host2, scheduler@node3@host3
 *         state-directory: /var/lib/app/leader
 *         accept-joins: false          # only members and operators change the membership
 *         operators: ops@admin1
 * </pre>
 */
@ConfigurationProperties("ergo.leader")
public class ErgoLeaderProperties {

    /** Groups by cluster id: the members and the election's timing. */
    private Map<String, Group> groups = new LinkedHashMap<>();

    public Map<String, Group> getGroups() {
        return groups;
    }

    public void setGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    /** One leader election group. */
    public static class Group {

        /**
         * The group's first membership: every member as name@node, the same list on each node. The quorum is a
         * majority of the members, never of those seen so far. A node whose member is not listed joins the running
         * group at run time: it asks the listed members, and the leader adds it. Once the membership has changed,
         * each member keeps it in its state directory, and that wins over this list.
         */
        private List<String> peers = new ArrayList<>();

        /** Members that follow the registrar: the nodes running an application. */
        private final Discovery discovery = new Discovery();

        /** Shortest election timeout: how long a follower waits for the leader before it stands. */
        private Duration electionTimeoutMin = LeaderOptions.DEFAULT_ELECTION_MIN;

        /** Longest election timeout (exclusive); each wait is random between min and max. */
        private Duration electionTimeoutMax = LeaderOptions.DEFAULT_ELECTION_MAX;

        /** How often the leader tells the others it leads; well below the minimum election timeout. */
        private Duration heartbeat = LeaderOptions.DEFAULT_HEARTBEAT;

        /**
         * Where each member keeps its term, vote and membership, so a restarted member never votes twice in a term.
         * Defaults to $XDG_STATE_HOME/ergo/leader, else ~/.local/state/ergo/leader (a warning at start says so); in
         * production, a directory on the service's persistent volume. Made owner-only; one that is a symbolic link,
         * owned by another user or writable by its group or others is refused.
         */
        private Path stateDirectory;

        /**
         * Whether a node outside the group may ask to join with its own member (a service that runs the group's
         * actor and is not listed in peers). Off: only members, this node's processes (the ergoleader endpoint) and
         * the operator nodes change the membership.
         */
        private boolean acceptJoins = true;

        /**
         * Nodes, as name@host, that may add and remove members (a MembershipChange message) besides the members'
         * nodes and this one.
         */
        private List<String> operators = new ArrayList<>();

        public boolean isAcceptJoins() {
            return acceptJoins;
        }

        public void setAcceptJoins(boolean acceptJoins) {
            this.acceptJoins = acceptJoins;
        }

        public List<String> getOperators() {
            return operators;
        }

        public void setOperators(List<String> operators) {
            this.operators = operators;
        }

        public List<String> getPeers() {
            return peers;
        }

        public void setPeers(List<String> peers) {
            this.peers = peers;
        }

        public Discovery getDiscovery() {
            return discovery;
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
    public static class Discovery {

        /**
         * The application whose nodes are the members: the leader adds the member on each node where it runs (the
         * registrar's routes; etcd publishes them, the embedded registrar does not) and removes those gone from
         * them for remove-after. Unset: the membership changes only when a member joins or is removed on request.
         */
        private String application;

        /** How long a member's node may be missing from the application's routes before the leader removes it. */
        private Duration removeAfter = LeaderOptions.DEFAULT_REMOVE_AFTER;

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
}
