package services.ergo.gen;

/** A cheap summary of one process, for listing many. */
public record ProcessShortInfo(
        Pid pid,
        String name,
        String application,
        String behavior,
        ProcessState state,
        long mailboxDepth,
        long messagesIn,
        long messagesOut,
        long runningTimeNanos,
        long uptimeMillis) {}
