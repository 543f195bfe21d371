package services.ergo.gen;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Everything about one process, for the Observer and tools. */
public record ProcessInfo(
        Pid pid,
        @Nullable String name,
        @Nullable String application,
        String behavior,
        ProcessState state,
        Pid parent,
        Pid leader,
        MailboxInfo mailbox,
        int mailboxSize,
        long messagesIn,
        long messagesOut,
        long runningTimeNanos,
        long uptimeMillis,
        boolean trapExit,
        List<Object> links,
        List<Object> monitors,
        List<Object> monitoredBy,
        List<Alias> aliases,
        List<Event> events,
        Map<String, Object> env) {}
