package services.ergo.act;

import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.Pid;
import services.ergo.gen.Process;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * The base of an actor, as Ergo's {@code act.Actor}: override the handlers you need; inside them, everything a
 * {@link Process} can do is at hand. Handlers run one at a time, so fields need no locking.
 *
 * <pre>{@code
 * public class Counter extends Actor {
 *     private long count;
 *
 *     protected void handleMessage(Pid from, Object message) {
 *         if (message instanceof Increment) count++;
 *     }
 *
 *     protected Object handleCall(Pid from, Ref ref, Object request) {
 *         return request instanceof GetCount ? count : null;
 *     }
 *
 *     protected Map<String, String> handleInspect(Pid from, String... items) {
 *         return Map.of("count", Long.toString(count));
 *     }
 * }
 * }</pre>
 *
 * A handler that throws ends the process with the exception as its reason; links and monitors are told, the node
 * and other processes go on.
 */
public abstract class Actor extends ProcessBase implements ProcessBehavior {

    // ------------------------------------------------------------------ what the node calls

    @Override
    public final void processInit(Process process, Object... args) throws Exception {
        bind(process);
        init(args);
    }

    @Override
    public final void processMessage(Pid from, Object message) throws Exception {
        if (message instanceof MessageExitPid exit && exit.pid().equals(parent())) {
            // As in OTP: an exit signal from the parent ends even a trapping actor (its terminate still runs), so
            // a supervisor or the stopping node never waits for a child that chose to trap exits.
            onParentExit(exit.reason());
            return;
        }
        if (interceptMessage(from, message)) {
            return;
        }
        handleMessage(from, message);
    }

    @Override
    public final @Nullable Object processCall(Pid from, Ref ref, Object request) throws Exception {
        return handleCall(from, ref, request);
    }

    /**
     * A hook for behaviours built on {@code Actor}: runs before {@link #handleMessage} for every message except the
     * parent's exit (which ends the actor regardless, see {@link #handleMessage}); return true when the behaviour
     * took the message, and {@code handleMessage} does not see it. Calls and events do not pass here.
     *
     * <p>It is for behaviours such as a leader actor, which keep their own protocol's messages (timers, peers'
     * messages) away from their subclasses' handlers, and are extended in turn; such a behaviour overrides it
     * {@code final}. Business logic belongs in {@code handleMessage}. By default nothing is taken.
     *
     * <pre>{@code
     * public abstract class Heartbeating extends Actor {
     *     private record Beat() {}
     *
     *     protected final boolean interceptMessage(Pid from, Object message) {
     *         if (message instanceof Beat) {
     *             sendAfter(pid(), new Beat(), Duration.ofSeconds(1)); // never reaches the subclass's handleMessage
     *             return true;
     *         }
     *         return false;
     *     }
     * }
     * }</pre>
     */
    protected boolean interceptMessage(Pid from, Object message) throws Exception {
        return false;
    }

    /** The parent sent an exit signal; a supervisor first stops its children. */
    void onParentExit(Reason reason) {
        stop(reason);
    }

    // ------------------------------------------------------------------ what users override

    /** Called once when the process starts; throwing makes the spawn fail. */
    protected void init(Object... args) throws Exception {}

    /**
     * A message sent to this process; also down messages, and exit messages when trapping exits (except one from
     * the parent, which ends the actor).
     */
    protected void handleMessage(Pid from, Object message) throws Exception {
        log().warn("{}: unhandled message from {}: {}", pid(), from, message);
    }

    /**
     * A call. Return the response, or {@code null} to answer later with {@link #sendResponse}. By default the caller
     * gets an error.
     */
    protected @Nullable Object handleCall(Pid from, Ref ref, Object request) throws Exception {
        log().warn("{}: unhandled call from {}: {}", pid(), from, request);
        sendResponseError(
                from,
                ref,
                new ErgoException("unsupported request " + request.getClass().getName()));
        return null;
    }
}
