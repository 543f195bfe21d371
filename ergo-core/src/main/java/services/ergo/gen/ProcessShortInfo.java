package services.ergo.gen;

import org.jspecify.annotations.Nullable;

/** A cheap summary of one process, for listing many. */
public record ProcessShortInfo(
        Pid pid,
        @Nullable String name,
        @Nullable String application,
        String behavior,
        ProcessState state,
        long mailboxDepth,
        long messagesIn,
        long messagesOut,
        long runningTimeNanos,
        long uptimeMillis) {}
