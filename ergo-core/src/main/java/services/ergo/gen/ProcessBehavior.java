package services.ergo.gen;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What the node calls on a process, always from one thread at a time. Users extend
 * {@link services.ergo.act.Actor} or {@link services.ergo.act.Supervisor} rather than implement this.
 */
public interface ProcessBehavior {

    /** Called once, first, on the process's own turn. Throwing makes the spawn fail with the exception. */
    void processInit(Process self, Object... args) throws Exception;

    /** A message (including exit signals of a trapping process and down messages). */
    void processMessage(Pid from, Object message) throws Exception;

    /**
     * A synchronous request. The returned value is the response; {@code null} means the behaviour will answer later
     * with {@link Process#sendResponse}.
     */
    @Nullable
    Object processCall(Pid from, Ref ref, Object request) throws Exception;

    /** A message published to an event this process links or monitors. */
    void processEvent(MessageEvent event) throws Exception;

    /** A look inside, for the Observer and tools: name → value. */
    Map<String, String> processInspect(Pid from, String... items);

    /** The process ends with {@code reason}; not called when it was killed. */
    void processTerminate(Reason reason);
}
