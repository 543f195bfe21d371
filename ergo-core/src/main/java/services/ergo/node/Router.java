package services.ergo.node;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.Alias;
import services.ergo.gen.Compression;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageDownProcessId;
import services.ergo.gen.MessageExit;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * Where every message, answer and signal goes: to a local process's queue, to the node's own pending calls, or
 * through {@link RemoteRouter} to another node; and the links and monitors between processes, here and across
 * nodes.
 *
 * <p>Send path: resolve the target in a hash map keyed by the {@link Pid} the sender already holds (no
 * allocation), put one envelope in its queue, and wake the process with one CAS if it slept.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private final LocalNode node;
    /** The node's name, compared by identity first: most targets carry the very string the node made. */
    private final String name;

    private final Pid corePid;
    private final ProcessTable table;
    private final long callSpinNanos;
    /** Calls and important sends the node itself made (not its processes), by their reference. */
    private final ConcurrentHashMap<Ref, CallWaiter> pendingCalls = new ConcurrentHashMap<>();

    private final java.util.concurrent.atomic.LongAdder refusedFromRemote = new java.util.concurrent.atomic.LongAdder();
    /** Sends and calls that failed at the sender (unknown process, full mailbox, no connection, timeout). */
    private final LongAdder sendErrors = new LongAdder();

    private final LongAdder callErrors = new LongAdder();
    private volatile @Nullable RemoteRouter remote;

    Router(LocalNode node, ProcessTable table) {
        this.node = node;
        this.name = node.name;
        this.corePid = node.corePid();
        this.table = table;
        this.callSpinNanos = node.options.callSpin().toNanos();
    }

    void attach(RemoteRouter router) {
        this.remote = router;
    }

    /** The network, once attached; null while the node is local only. */
    @Nullable
    RemoteRouter remoteOrNull() {
        return remote;
    }

    long sendErrors() {
        return sendErrors.sum();
    }

    long callErrors() {
        return callErrors.sum();
    }

    // ------------------------------------------------------------------ resolving targets

    /** Finds the local process for a target; null when it is local and unknown. */
    @Nullable
    LocalProcess resolve(Object to) {
        if (to instanceof Pid p) {
            if (isLocal(p.node())) {
                return table.get(p);
            }
            throw noNetwork(p.node());
        }
        if (to instanceof String s) {
            return table.byName(s);
        }
        if (to instanceof ProcessId id) {
            if (isLocal(id.node())) {
                return table.byName(id.name());
            }
            throw noNetwork(id.node());
        }
        if (to instanceof Alias a) {
            if (isLocal(a.node())) {
                return table.byAlias(a);
            }
            throw noNetwork(a.node());
        }
        if (to == null) {
            throw new IllegalArgumentException("target must not be null");
        }
        throw new IllegalArgumentException("cannot address a " + to.getClass().getName()
                + "; use a Pid, ProcessId, registered name (String) or Alias");
    }

    /** A Pid or a local registered name, as another node names it; null when nobody is there. */
    @Nullable
    LocalProcess resolveFromRemote(Object target) {
        if (target instanceof Pid p) {
            return table.get(p);
        }
        if (target instanceof ProcessId id && isLocal(id.node())) {
            return table.byName(id.name());
        }
        return null;
    }

    private NoConnectionException noNetwork(String node) {
        return new NoConnectionException(node, "the network is not enabled on " + name);
    }

    /** Links and monitors across nodes are made by pid or by name; the remote node resolves the name. */
    private static Object remoteForm(Object target) {
        if (target instanceof Pid || target instanceof ProcessId) {
            return target;
        }
        throw new NotAllowedException(
                "link and monitor a process on another node by its Pid or ProcessId, not by " + target);
    }

    /** The node a target lives on when that is not this one; null for local targets and plain names. */
    @Nullable
    String remoteNodeOf(Object to) {
        String n = to instanceof Pid p
                ? p.node()
                : to instanceof ProcessId id ? id.node() : to instanceof Alias a ? a.node() : null;
        return n == null || isLocal(n) ? null : n;
    }

    private RemoteRouter remote(String node) {
        RemoteRouter r = remote;
        if (r == null) {
            throw noNetwork(node);
        }
        return r;
    }

    boolean isLocal(String node) {
        return node == name || node.equals(name);
    }

    // ------------------------------------------------------------------ messages, calls and answers

    void route(Pid from, Object to, Envelope e, MailboxQueue queue) {
        route(from, to, e, queue, null);
    }

    /** Routes {@code e}; {@code compression}, the sender's, applies when it goes to another node. */
    void route(Pid from, Object to, Envelope e, MailboxQueue queue, @Nullable Compression compression) {
        try {
            routeUncounted(from, to, e, queue, compression);
        } catch (ErgoException failed) {
            (e.kind == Envelope.REQUEST ? callErrors : sendErrors).increment();
            throw failed;
        }
    }

    /** Waits for a call's answer (or an important send's delivery), counting what fails. */
    @Nullable
    Object awaitCall(CallWaiter w, Object to, Duration timeout, boolean call) {
        try {
            return w.await(to, timeout, callSpinNanos);
        } catch (ErgoException failed) {
            (call ? callErrors : sendErrors).increment();
            throw failed;
        }
    }

    private void routeUncounted(
            Pid from, Object to, Envelope e, MailboxQueue queue, @Nullable Compression compression) {
        String node = remoteNodeOf(to);
        if (node != null) {
            remote(node).route(node, from, to, e.kind, e.message, e.ref(), queue, compression);
            return;
        }
        LocalProcess target = resolve(to);
        if (target == null) {
            if (corePid.equals(to)) {
                deliverToCore(e);
                return;
            }
            throw new ProcessUnknownException(to);
        }
        target.deliver(e, queue);
    }

    private void deliverToCore(Envelope e) {
        if (e.kind == Envelope.REQUEST) {
            respond(corePid, e.from, e.ref(), null, new NotAllowedException("the node's core process takes no calls"));
        } else {
            LOG.debug("node {}: message to the core process from {} dropped: {}", name, e.from, e.message);
        }
    }

    /** A call the node itself makes, from a thread of no process. */
    @Nullable
    Object callAsNode(Object to, Object request, Duration timeout) {
        Ref ref = node.makeRef();
        CallWaiter w = new CallWaiter(ref);
        w.remoteNode = remoteNodeOf(to);
        pendingCalls.put(ref, w);
        try {
            route(corePid, to, Envelope.request(corePid, request, w), MailboxQueue.MAIN);
            return awaitCall(w, to, timeout, true);
        } finally {
            pendingCalls.remove(ref);
        }
    }

    /** An important send the node itself makes to {@code remoteNode}: returns once the message is in the mailbox. */
    void sendImportantAsNode(String remoteNode, Object to, Object message, Duration timeout) {
        CallWaiter w = new CallWaiter(node.makeRef());
        w.remoteNode = remoteNode;
        pendingCalls.put(w.ref, w);
        try {
            route(corePid, to, Envelope.important(corePid, message, w), MailboxQueue.MAIN);
            awaitCall(w, to, timeout, false);
        } finally {
            pendingCalls.remove(w.ref);
        }
    }

    /** See {@link Core#awaitAnswer}. */
    @Nullable
    Object awaitAnswer(String remoteNode, Consumer<Ref> send, Object target, Duration timeout) {
        Ref ref = node.makeRef();
        CallWaiter w = new CallWaiter(ref);
        w.remoteNode = remoteNode;
        pendingCalls.put(ref, w);
        try {
            send.accept(ref);
            return awaitCall(w, target, timeout, true);
        } finally {
            pendingCalls.remove(ref);
        }
    }

    /** Fails every call the node itself waits on, or only those to {@code remoteNode} when it is given. */
    void failNodeCalls(@Nullable String remoteNode, ErgoException error) {
        for (CallWaiter w : pendingCalls.values()) {
            if (remoteNode == null || remoteNode.equals(w.remoteNode)) {
                w.complete(null, error);
            }
        }
    }

    void respond(Pid from, @Nullable Pid to, @Nullable Ref ref, @Nullable Object value, @Nullable ErgoException error) {
        if (to == null || ref == null) {
            return;
        }
        if (to.equals(corePid)) {
            CallWaiter w = pendingCalls.remove(ref);
            if (w != null) {
                w.complete(value, error);
            }
            return;
        }
        if (!isLocal(to.node())) {
            RemoteRouter r = remote;
            if (r != null) {
                r.respond(to.node(), from, to, ref, value, error);
            }
            return;
        }
        LocalProcess p = table.get(to);
        if (p != null) {
            p.deliverResponse(from, ref, value, error);
        }
    }

    /**
     * An answer that came from another node: never relayed on, and taken only by a call that went to that node
     * (see {@link Core#respondFromRemote}).
     */
    void respondFromRemote(Pid from, Pid to, Ref ref, @Nullable Object value, @Nullable ErgoException error) {
        if (to.equals(corePid)) {
            CallWaiter w = pendingCalls.get(ref);
            if (w != null && from.node().equals(w.remoteNode)) {
                if (pendingCalls.remove(ref, w)) {
                    w.complete(value, error);
                }
            } else if (w != null) {
                refusedFromRemote("answer from a node the call did not go to", from, to);
            }
            return;
        }
        if (!isLocal(to.node())) {
            return;
        }
        LocalProcess p = table.get(to);
        if (p != null) {
            p.deliverRemoteResponse(from, ref, value, error);
        }
    }

    /** A down from another node, delivered only for a monitor the owner holds on a process of that node. */
    void downFromRemote(Pid from, Pid owner, Ref ref, Reason reason) {
        LocalProcess p = isLocal(owner.node()) ? table.get(owner) : null;
        Relations r = p == null ? null : p.relationsOrNull();
        if (r == null || !from.node().equals(r.heldNodeByRef(ref))) {
            refusedFromRemote("down without a monitor", from, owner);
            return;
        }
        sendDown(from, owner, ref, from, reason);
    }

    /** Something from another node that no relation here allows: dropped, and said once at debug level. */
    void refusedFromRemote(String what, Pid from, Object to) {
        refusedFromRemote.increment();
        LOG.debug("node {}: {} from {} to {} dropped", name, what, from, to);
    }

    /** Signals and answers from other nodes dropped because nothing here allowed them. */
    long refusedFromRemote() {
        return refusedFromRemote.sum();
    }

    // ------------------------------------------------------------------ signals

    void sendExitSignal(Pid from, Pid to, Reason reason) {
        sendExitSignal(from, to, reason, null);
    }

    /**
     * An exit signal to {@code to}: a Pid, or a ProcessId on another node (a link made by name). {@code fromName} is
     * the sender's registered name, for processes elsewhere that linked to it by name.
     */
    void sendExitSignal(Pid from, Object to, Reason reason, @Nullable String fromName) {
        String toNode = Relations.nodeOf(to);
        if (!isLocal(toNode)) {
            RemoteRouter r = remote;
            if (r != null) {
                r.exit(toNode, from, to, reason, fromName);
            }
            return;
        }
        if (!(to instanceof Pid)) {
            return;
        }
        LocalProcess p = table.get((Pid) to);
        if (p != null) {
            deliverQuietly(p, new Envelope(Envelope.EXIT, from, reason, null), MailboxQueue.URGENT);
        }
    }

    void sendDown(Pid from, Pid owner, Ref ref, Object form, Reason reason) {
        if (!isLocal(owner.node())) {
            RemoteRouter r = remote;
            if (r != null) {
                r.down(owner.node(), from, owner, ref, reason);
            }
            return;
        }
        LocalProcess p = table.get(owner);
        if (p == null) {
            return;
        }
        Relations r = p.relationsOrNull();
        Object held = r == null ? null : r.removeHeldByRef(ref);
        if (held != null) {
            form = held; // the owner's own form: a monitor made by name on another node comes back as a ProcessId
        }
        Object message = form instanceof ProcessId id
                ? new MessageDownProcessId(id, ref, reason)
                : new MessageDownPid(from, ref, reason);
        deliverQuietly(p, new Envelope(Envelope.MESSAGE, from, message, null), MailboxQueue.SYSTEM);
    }

    /** Drops a monitor held on {@code target}: a Pid, or a ProcessId on another node. */
    void dropMonitor(Object target, Ref ref) {
        String targetNode = Relations.nodeOf(target);
        if (!isLocal(targetNode)) {
            RemoteRouter r = remote;
            if (r != null) {
                r.demonitor(targetNode, corePid, target, ref);
            }
            return;
        }
        if (!(target instanceof Pid)) {
            return;
        }
        LocalProcess p = table.get((Pid) target);
        if (p != null) {
            Relations r = p.relationsOrNull();
            if (r != null) {
                r.removeMonitoredBy(ref);
            }
        }
    }

    /** Delivers one published event message to a subscriber. */
    void deliverEvent(Pid subscriber, Object messageEvent) {
        deliverOrLog(subscriber, new Envelope(Envelope.EVENT, corePid, messageEvent, null), MailboxQueue.MAIN, "event");
    }

    /** Delivers a plain message from {@code from} on the system queue, ignoring an ended target. */
    void deliverSystem(Pid from, Pid to, Object message) {
        deliverOrLog(to, new Envelope(Envelope.MESSAGE, from, message, null), MailboxQueue.SYSTEM, "system");
    }

    /** The node's own notices: an ended target or a full mailbox loses them, which only a debug line records. */
    private void deliverOrLog(Pid to, Envelope e, MailboxQueue queue, String what) {
        LocalProcess p = table.get(to);
        if (p != null) {
            try {
                p.deliver(e, queue);
            } catch (ErgoException failed) {
                LOG.debug("{} message to {} not delivered: {}", what, to, failed.getMessage());
            }
        }
    }

    /** Delivers an exit signal carrying a ready-made exit message (an event's end, a node's loss). */
    void deliverSystemExit(Pid from, Pid to, MessageExit message) {
        LocalProcess p = table.get(to);
        if (p != null) {
            deliverQuietly(p, new Envelope(Envelope.EXIT, from, message, null), MailboxQueue.URGENT);
        }
    }

    static void deliverQuietly(LocalProcess p, Envelope e, MailboxQueue queue) {
        try {
            p.deliver(e, queue);
        } catch (ProcessUnknownException ignored) {
            // it ended meanwhile
        }
    }

    // ------------------------------------------------------------------ links and monitors

    private Object form(Object target) {
        if (target instanceof String s) {
            return new ProcessId(s, name);
        }
        return target;
    }

    private LocalProcess resolveExisting(Object target) {
        LocalProcess t = resolve(target);
        if (t == null || !t.isAlive()) {
            throw new ProcessUnknownException(target);
        }
        return t;
    }

    void link(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            node.events.subscribe(self.pid, event, true);
            return;
        }
        String node = remoteNodeOf(target);
        if (node != null) {
            Object remoteForm = remoteForm(target);
            RemoteRouter r = remote(node);
            // our end first: the peer may answer at once (exit noproc for a name nobody holds), and that answer must
            // find the link it ends, or it arrives as a plain exit signal (seen under load in RemoteRelationsTest)
            if (!self.relations().addLink(remoteForm, remoteForm)) {
                // we were killed meanwhile: our end was already announced, so announce it to the newcomer too
                r.link(node, self.pid, remoteForm);
                r.exit(node, self.pid, remoteForm, Reason.KILL, null);
                return;
            }
            try {
                r.link(node, self.pid, remoteForm);
            } catch (RuntimeException e) {
                self.relations().removeLink(remoteForm);
                throw e;
            }
            return;
        }
        LocalProcess t = resolveExisting(target);
        if (t == self) {
            return;
        }
        if (!t.relations().addLink(self.pid, self.pid)) {
            throw new ProcessUnknownException(target);
        }
        if (!self.relations().addLink(t.pid, form(target))) {
            // we were killed meanwhile: our end was already announced, so announce it to the newcomer too
            t.relations().removeLink(self.pid);
            sendExitSignal(self.pid, t.pid, Reason.KILL);
        }
    }

    void unlink(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            node.events.unsubscribe(self.pid, event);
            return;
        }
        String node = remoteNodeOf(target);
        if (node != null) {
            Object remoteForm = remoteForm(target);
            self.relations().removeLink(remoteForm);
            remote(node).unlink(node, self.pid, remoteForm);
            return;
        }
        LocalProcess t = resolve(target);
        if (t == null) {
            return;
        }
        self.relations().removeLink(t.pid);
        Relations r = t.relationsOrNull();
        if (r != null) {
            r.removeLink(self.pid);
        }
    }

    Ref monitor(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            return node.events.subscribeRef(self.pid, event);
        }
        Object form = form(target);
        Relations.Held held = self.relations().heldMonitor(form);
        if (held != null) {
            return held.ref();
        }
        String node = remoteNodeOf(target);
        if (node != null) {
            Object remoteForm = remoteForm(target);
            Ref ref = this.node.makeRef();
            self.relations().addHeld(remoteForm, new Relations.Held(ref, remoteForm instanceof Pid p ? p : null));
            remote(node).monitor(node, self.pid, remoteForm, ref);
            return ref;
        }
        LocalProcess t = resolveExisting(target);
        Ref ref = this.node.makeRef();
        if (!t.relations().addMonitoredBy(ref, self.pid, form)) {
            throw new ProcessUnknownException(target);
        }
        self.relations().addHeld(form, new Relations.Held(ref, t.pid));
        return ref;
    }

    void demonitor(LocalProcess self, Object target) {
        if (target instanceof Event event) {
            node.events.unsubscribe(self.pid, event);
            return;
        }
        Object form = form(target);
        Relations.Held held = self.relations().removeHeld(form);
        if (held != null) {
            dropMonitor(held.pid() != null ? held.pid() : form, held.ref());
        }
    }

    Ref monitorNode(LocalProcess self, String node) {
        if (node == null || isLocal(node)) {
            throw new IllegalArgumentException("monitorNode is for other nodes, got " + node);
        }
        Ref held = self.relations().nodeMonitor(node);
        if (held != null) {
            return held;
        }
        remote(node).connect(node);
        Ref ref = this.node.makeRef();
        if (!self.relations().addNodeMonitor(node, ref)) {
            throw new ProcessUnknownException(self.pid);
        }
        return self.relations().nodeMonitor(node);
    }

    void demonitorNode(LocalProcess self, String node) {
        self.relations().removeNodeMonitor(node);
    }
}
