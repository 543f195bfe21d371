package services.ergo.act;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import services.ergo.gen.Alias;
import services.ergo.gen.Cancellable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.MessagePriority;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.gen.Process;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessState;
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
public abstract class Actor implements ProcessBehavior, Process {
    private Process self;

    // ------------------------------------------------------------------ what the node calls

    @Override
    public final void processInit(Process process, Object... args) throws Exception {
        this.self = process;
        init(args);
    }

    @Override
    public final void processMessage(Pid from, Object message) throws Exception {
        if (message instanceof MessageExitPid exit && exit.pid().equals(parent())) {
            // As in OTP: an exit signal from the parent ends even a trapping actor (its terminate still runs), so
            // a supervisor or the stopping node never waits for a child that chose to trap exits.
            stop(exit.reason());
            return;
        }
        handleMessage(from, message);
    }

    @Override
    public final Object processCall(Pid from, Ref ref, Object request) throws Exception {
        return handleCall(from, ref, request);
    }

    @Override
    public final void processEvent(MessageEvent event) throws Exception {
        handleEvent(event);
    }

    @Override
    public final Map<String, String> processInspect(Pid from, String... items) {
        return handleInspect(from, items);
    }

    @Override
    public final void processTerminate(Reason reason) {
        terminate(reason);
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
    protected Object handleCall(Pid from, Ref ref, Object request) throws Exception {
        log().warn("{}: unhandled call from {}: {}", pid(), from, request);
        sendResponseError(
                from,
                ref,
                new ErgoException("unsupported request " + request.getClass().getName()));
        return null;
    }

    /** A message published to an event this actor links or monitors. */
    protected void handleEvent(MessageEvent event) throws Exception {
        log().warn("{}: unhandled event {}: {}", pid(), event.event(), event.message());
    }

    /** Name → value pairs the Observer shows for this process, refreshed every second. */
    protected Map<String, String> handleInspect(Pid from, String... items) {
        return Map.of();
    }

    /** The process ends with {@code reason}. Not called when it was killed. */
    protected void terminate(Reason reason) {}

    // ------------------------------------------------------------------ Process, delegated

    /** The process this actor runs as; available from {@code init} on. */
    protected final Process self() {
        if (self == null) {
            throw new IllegalStateException("the actor is not running yet: use it from init() on");
        }
        return self;
    }

    @Override
    public Pid pid() {
        return self().pid();
    }

    @Override
    public Node node() {
        return self().node();
    }

    @Override
    public String name() {
        return self().name();
    }

    @Override
    public Pid parent() {
        return self().parent();
    }

    @Override
    public Pid leader() {
        return self().leader();
    }

    @Override
    public ProcessState state() {
        return self().state();
    }

    @Override
    public String application() {
        return self().application();
    }

    @Override
    public void send(Object to, Object message) {
        self().send(to, message);
    }

    @Override
    public void sendWithPriority(Object to, Object message, MessagePriority priority) {
        self().sendWithPriority(to, message, priority);
    }

    @Override
    public Cancellable sendAfter(Object to, Object message, Duration delay) {
        return self().sendAfter(to, message, delay);
    }

    @Override
    public void sendExit(Pid to, Reason reason) {
        self().sendExit(to, reason);
    }

    @Override
    public Object call(Object to, Object request) {
        return self().call(to, request);
    }

    @Override
    public Object call(Object to, Object request, Duration timeout) {
        return self().call(to, request, timeout);
    }

    @Override
    public Ref callAsync(Object to, Object request, Duration timeout) {
        return self().callAsync(to, request, timeout);
    }

    @Override
    public void sendResponse(Pid to, Ref ref, Object response) {
        self().sendResponse(to, ref, response);
    }

    @Override
    public void sendResponseError(Pid to, Ref ref, ErgoException error) {
        self().sendResponseError(to, ref, error);
    }

    @Override
    public void link(Object target) {
        self().link(target);
    }

    @Override
    public void unlink(Object target) {
        self().unlink(target);
    }

    @Override
    public Ref monitor(Object target) {
        return self().monitor(target);
    }

    @Override
    public void demonitor(Object target) {
        self().demonitor(target);
    }

    @Override
    public void setTrapExit(boolean trap) {
        self().setTrapExit(trap);
    }

    @Override
    public boolean trapExit() {
        return self().trapExit();
    }

    @Override
    public Pid spawn(ProcessFactory factory, ProcessOptions options, Object... args) {
        return self().spawn(factory, options, args);
    }

    @Override
    public Pid spawnRegister(String registerAs, ProcessFactory factory, ProcessOptions options, Object... args) {
        return self().spawnRegister(registerAs, factory, options, args);
    }

    @Override
    public void registerName(String registerAs) {
        self().registerName(registerAs);
    }

    @Override
    public void unregisterName() {
        self().unregisterName();
    }

    @Override
    public Alias createAlias() {
        return self().createAlias();
    }

    @Override
    public void deleteAlias(Alias alias) {
        self().deleteAlias(alias);
    }

    @Override
    public Ref registerEvent(String eventName, EventOptions options) {
        return self().registerEvent(eventName, options);
    }

    @Override
    public void unregisterEvent(String eventName) {
        self().unregisterEvent(eventName);
    }

    @Override
    public void sendEvent(String eventName, Ref token, Object message) {
        self().sendEvent(eventName, token, message);
    }

    @Override
    public List<MessageEvent> linkEvent(Event event) {
        return self().linkEvent(event);
    }

    @Override
    public List<MessageEvent> monitorEvent(Event event) {
        return self().monitorEvent(event);
    }

    @Override
    public void stop(Reason reason) {
        self().stop(reason);
    }

    @Override
    public Logger log() {
        return self().log();
    }

    @Override
    public Object env(String key) {
        return self().env(key);
    }

    @Override
    public void setEnv(String key, Object value) {
        self().setEnv(key, value);
    }

    @Override
    public Map<String, Object> envList() {
        return self().envList();
    }
}
