package services.ergo.act;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import services.ergo.gen.Alias;
import services.ergo.gen.Cancellable;
import services.ergo.gen.Compression;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageEvent;
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
 * What {@link Actor} and {@link Supervisor} share: the {@link Process} they run as, at hand through its methods
 * (send, call, link, monitor, log...). Not extended directly by users.
 */
public abstract class ProcessBase implements Process, ProcessBehavior {
    /** Null until the node binds the process, just before {@code init}. */
    private @Nullable Process self;

    ProcessBase() {}

    final void bind(Process process) {
        this.self = process;
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

    /** A message published to an event this process links or monitors. */
    protected void handleEvent(MessageEvent event) throws Exception {
        log().warn("{}: unhandled event {}: {}", pid(), event.event(), event.message());
    }

    /** Name → value pairs the Observer shows for this process, refreshed every second. */
    protected Map<String, String> handleInspect(Pid from, String... items) {
        return Map.of();
    }

    /** The process ends with {@code reason}. Not called when it was killed. */
    protected void terminate(Reason reason) {}

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
    public @Nullable String name() {
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
    public @Nullable String application() {
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
    public @Nullable Object call(Object to, Object request) {
        return self().call(to, request);
    }

    @Override
    public @Nullable Object call(Object to, Object request, Duration timeout) {
        return self().call(to, request, timeout);
    }

    @Override
    public Ref callAsync(Object to, Object request, Duration timeout) {
        return self().callAsync(to, request, timeout);
    }

    @Override
    public void sendResponse(Pid to, Ref ref, @Nullable Object response) {
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
    public void sendImportant(Object to, Object message) {
        self().sendImportant(to, message);
    }

    @Override
    public Ref monitorNode(String node) {
        return self().monitorNode(node);
    }

    @Override
    public void demonitorNode(String node) {
        self().demonitorNode(node);
    }

    @Override
    public void setCompression(Compression compression) {
        self().setCompression(compression);
    }

    @Override
    public Compression compression() {
        return self().compression();
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
    public @Nullable Object env(String key) {
        return self().env(key);
    }

    @Override
    public void setEnv(String key, @Nullable Object value) {
        self().setEnv(key, value);
    }

    @Override
    public Map<String, Object> envList() {
        return self().envList();
    }
}
