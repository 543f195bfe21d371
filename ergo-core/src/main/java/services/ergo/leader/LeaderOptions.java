package services.ergo.leader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import services.ergo.gen.ProcessId;

/**
 * How a leader actor takes part in its election. Defaults ({@link #of}): election timeout drawn from 150–300 ms,
 * a heartbeat every 50 ms, term and vote kept in {@code ${java.io.tmpdir}/ergo-leader}.
 *
 * <pre>{@code
 * LeaderOptions.of("scheduler", ProcessId.parse("scheduler@node2"), ProcessId.parse("scheduler@node3"));
 * }</pre>
 *
 * @param clusterId the election's name; messages of other elections are not this one's
 * @param peers the other members, as registered names on their nodes; the quorum is a majority of these and this
 *     one, whoever answers
 * @param electionMin shortest election timeout
 * @param electionMax longest election timeout (exclusive)
 * @param heartbeat how often a leader tells the others it leads
 * @param stateDirectory where term and vote are kept, so a restarted member never votes twice in a term
 */
public record LeaderOptions(
        String clusterId,
        List<ProcessId> peers,
        Duration electionMin,
        Duration electionMax,
        Duration heartbeat,
        Path stateDirectory) {

    public LeaderOptions {
        if (clusterId == null || clusterId.isBlank()) {
            throw new IllegalArgumentException("a leader election needs a cluster id");
        }
        peers = List.copyOf(peers);
        if (heartbeat.compareTo(electionMin) >= 0 || electionMin.compareTo(electionMax) >= 0) {
            throw new IllegalArgumentException("need heartbeat < electionMin < electionMax, got " + heartbeat + ", "
                    + electionMin + ", " + electionMax);
        }
    }

    public static LeaderOptions of(String clusterId, ProcessId... peers) {
        return new LeaderOptions(
                clusterId,
                List.of(peers),
                Duration.ofMillis(150),
                Duration.ofMillis(300),
                Duration.ofMillis(50),
                Path.of(System.getProperty("java.io.tmpdir"), "ergo-leader"));
    }

    public LeaderOptions withStateDirectory(Path value) {
        return new LeaderOptions(clusterId, peers, electionMin, electionMax, heartbeat, value);
    }

    public LeaderOptions withTimeouts(Duration min, Duration max, Duration beat) {
        return new LeaderOptions(clusterId, peers, min, max, beat, stateDirectory);
    }
}
