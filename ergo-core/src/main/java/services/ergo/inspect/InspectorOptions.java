package services.ergo.inspect;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import services.ergo.leader.LeaderStatus;

/**
 * What the {@link Inspector} serves beside what it reads from the node itself, and what it lets callers do.
 * Defaults: no log ({@link LogSource#none()}), no leader groups, <b>no actions</b> (send, exit, kill and the
 * {@code application} op are refused), the log and process env served.
 *
 * <pre>{@code
 * LogBuffer logs = new LogBuffer(2000);
 * LeaderGroups groups = new LeaderGroups(Map.of());
 * Inspector.start(node, InspectorOptions.defaults()
 *         .withLogs(logs)
 *         .withLeaders(groups::statuses)
 *         .withActionsEnabled(true)     // let Observers act here (application starts still obey the remote-start rules)
 *         .withEnvEnabled(false));      // never show process env (it includes the node's env)
 * }</pre>
 *
 * @param logs the lines the {@code logs} request pages through
 * @param leaders the leader groups with a member on this node, for the {@code node} request's {@code leaders};
 *     asked on each request, from the inspector's process
 * @param actionsEnabled whether the inspector acts when asked ({@code send}, {@code exit}, {@code kill},
 *     {@code application}); a start asked by another node must also pass
 *     {@link services.ergo.gen.Network#checkApplicationStart}
 * @param logsEnabled whether the {@code logs} request is answered
 * @param envEnabled whether the {@code process} request includes the process's env
 */
public record InspectorOptions(
        LogSource logs,
        Supplier<List<LeaderStatus>> leaders,
        boolean actionsEnabled,
        boolean logsEnabled,
        boolean envEnabled) {

    public InspectorOptions {
        Objects.requireNonNull(logs, "logs");
        Objects.requireNonNull(leaders, "leaders");
    }

    /** The options of the previous release: what it served, with actions off. */
    public InspectorOptions(LogSource logs, Supplier<List<LeaderStatus>> leaders) {
        this(logs, leaders, false, true, true);
    }

    /** No log, no leader groups, no actions; log and env served. */
    public static InspectorOptions defaults() {
        return new InspectorOptions(LogSource.none(), List::of);
    }

    /** These options, with the live log read from {@code logs}. */
    public InspectorOptions withLogs(LogSource logs) {
        return new InspectorOptions(logs, leaders, actionsEnabled, logsEnabled, envEnabled);
    }

    /** These options, with the leader groups from {@code leaders} (for instance {@code LeaderGroups::statuses}). */
    public InspectorOptions withLeaders(Supplier<List<LeaderStatus>> leaders) {
        return new InspectorOptions(logs, leaders, actionsEnabled, logsEnabled, envEnabled);
    }

    /** These options, acting when asked ({@code true}) or refusing every action ({@code false}, the default). */
    public InspectorOptions withActionsEnabled(boolean actionsEnabled) {
        return new InspectorOptions(logs, leaders, actionsEnabled, logsEnabled, envEnabled);
    }

    /** These options, answering the {@code logs} request or refusing it. */
    public InspectorOptions withLogsEnabled(boolean logsEnabled) {
        return new InspectorOptions(logs, leaders, actionsEnabled, logsEnabled, envEnabled);
    }

    /** These options, with or without the process env in the {@code process} answer. */
    public InspectorOptions withEnvEnabled(boolean envEnabled) {
        return new InspectorOptions(logs, leaders, actionsEnabled, logsEnabled, envEnabled);
    }
}
