package services.ergo.inspect;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import services.ergo.leader.LeaderStatus;

/**
 * What the {@link Inspector} serves beside what it reads from the node itself. Defaults: no log
 * ({@link LogSource#none()}), no leader groups.
 *
 * <pre>{@code
 * LogBuffer logs = new LogBuffer(2000);
 * LeaderGroups groups = new LeaderGroups(Map.of());
 * Inspector.start(node, InspectorOptions.defaults().withLogs(logs).withLeaders(groups::statuses));
 * }</pre>
 *
 * @param logs the lines the {@code logs} request pages through
 * @param leaders the leader groups with a member on this node, for the {@code node} request's {@code leaders};
 *     asked on each request, from the inspector's process
 */
public record InspectorOptions(LogSource logs, Supplier<List<LeaderStatus>> leaders) {

    public InspectorOptions {
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(leaders, "leaders");
    }

    /** No log, no leader groups. */
    public static InspectorOptions defaults() {
        return new InspectorOptions(LogSource.none(), List::of);
    }

    /** These options, with the live log read from {@code logs}. */
    public InspectorOptions withLogs(LogSource logs) {
        return new InspectorOptions(logs, leaders);
    }

    /** These options, with the leader groups from {@code leaders} (for instance {@code LeaderGroups::statuses}). */
    public InspectorOptions withLeaders(Supplier<List<LeaderStatus>> leaders) {
        return new InspectorOptions(logs, leaders);
    }
}
