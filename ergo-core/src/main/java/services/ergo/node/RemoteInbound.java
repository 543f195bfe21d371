package services.ergo.node;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.MessageDownNode;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageDownProcessId;
import services.ergo.gen.MessageExitProcessId;
import services.ergo.gen.Network;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * The node's {@link Core}: what arrives from other nodes, checked against what this node knows (a named process is
 * ended by a peer only along a link made by name) and handed to {@link Router}.
 */
final class RemoteInbound implements Core {
    private final LocalNode node;
    private final Router router;

    RemoteInbound(LocalNode node, Router router) {
        this.node = node;
        this.router = router;
    }

    @Override
    public String name() {
        return node.name;
    }

    @Override
    public long creation() {
        return node.creation;
    }

    @Override
    public Pid corePid() {
        return node.corePid();
    }

    @Override
    public NodeOptions options() {
        return node.options;
    }

    @Override
    public Node node() {
        return node;
    }

    @Override
    public void attachNetwork(Network network, RemoteRouter remote) {
        node.attachNetwork(network, remote);
    }

    @Override
    public void sendFromRemote(Pid from, Object to, Object message, MailboxQueue queue) {
        LocalProcess target = router.resolve(to);
        if (target == null) {
            throw new ProcessUnknownException(to);
        }
        target.deliver(new Envelope(Envelope.MESSAGE, from, message, null), queue);
    }

    @Override
    public void callFromRemote(Pid from, Object to, Object request, Ref ref) {
        try {
            LocalProcess target = router.resolve(to);
            if (target == null) {
                throw new ProcessUnknownException(to);
            }
            target.deliver(new Envelope(Envelope.REQUEST, from, request, ref), MailboxQueue.MAIN);
        } catch (ErgoException e) {
            router.respond(node.corePid(), from, ref, null, e);
        }
    }

    @Override
    public @Nullable Object awaitAnswer(String remoteNode, Consumer<Ref> send, Object target, Duration timeout) {
        return router.awaitAnswer(remoteNode, send, target, timeout);
    }

    @Override
    public void respondFromRemote(Pid from, Pid to, Ref ref, @Nullable Object value, @Nullable ErgoException error) {
        router.respondFromRemote(from, to, ref, value, error);
    }

    @Override
    public void exitFromRemote(Pid from, Object to, Reason reason, @Nullable String fromName) {
        LocalProcess p = router.resolveFromRemote(to);
        if (p == null) {
            return;
        }
        Relations r = p.relationsOrNull();
        if (r == null) {
            router.refusedFromRemote("exit without a link", from, to);
            return;
        }
        if (fromName != null) {
            ProcessId byName = new ProcessId(fromName, from.node());
            if (r.removeLink(byName) != null) {
                Router.deliverQuietly(
                        p,
                        new Envelope(Envelope.EXIT, from, new MessageExitProcessId(byName, reason), null),
                        MailboxQueue.URGENT);
                return;
            }
        }
        // only along a link: pids are sequential, so without this any peer could end any process here by counting
        if (r.linkForm(from) == null && !(from.id() == corePid().id() && r.hasLinkOn(from.node()))) {
            router.refusedFromRemote("exit without a link", from, to);
            return;
        }
        if (!(to instanceof Pid) && r.linkForm(from) == null) {
            return; // by name only along a link made by name or by that pid
        }
        router.sendExitSignal(from, p.pid, reason);
    }

    @Override
    public void linkFromRemote(Pid from, Object to) {
        LocalProcess t = router.resolveFromRemote(to);
        if (t == null || !t.relations().addLink(from, from)) {
            // from the pid that was linked to when there is one: the linking process holds a link to exactly that
            router.sendExitSignal(
                    t != null ? t.pid : to instanceof Pid gone ? gone : node.corePid(),
                    from,
                    Reason.NO_PROCESS,
                    to instanceof ProcessId id ? id.name() : null);
        }
    }

    @Override
    public void unlinkFromRemote(Pid from, Object to) {
        LocalProcess t = router.resolveFromRemote(to);
        Relations r = t == null ? null : t.relationsOrNull();
        if (r != null) {
            r.removeLink(from);
        }
    }

    @Override
    public void monitorFromRemote(Pid from, Object to, Ref ref) {
        LocalProcess t = router.resolveFromRemote(to);
        if (t == null || !t.relations().addMonitoredBy(ref, from, to)) {
            router.sendDown(t != null ? t.pid : node.corePid(), from, ref, to, Reason.NO_PROCESS);
        }
    }

    @Override
    public void demonitorFromRemote(Pid from, Object to, Ref ref) {
        LocalProcess t = router.resolveFromRemote(to);
        Relations r = t == null ? null : t.relationsOrNull();
        if (r != null) {
            r.removeMonitoredBy(ref, from.node());
        }
    }

    @Override
    public void downFromRemote(Pid from, Pid owner, Ref ref, Reason reason) {
        router.downFromRemote(from, owner, ref, reason);
    }

    @Override
    public long refusedFromRemote() {
        return router.refusedFromRemote();
    }

    @Override
    public void nodeDown(String lostNode) {
        router.failNodeCalls(
                lostNode, new NoConnectionException(lostNode, "the connection was lost while waiting for the answer"));
        Pid corePid = node.corePid();
        for (LocalProcess p : node.table.snapshot()) {
            p.failCallTo(lostNode);
            Relations r = p.relationsOrNull();
            if (r == null) {
                continue;
            }
            // forget everything about that node first: a process that ends on the first of these notifications must
            // find nothing left to tell the node, or it would dial it again
            List<Object> links = r.removeLinksOn(lostNode);
            Map<Object, Relations.Held> held = r.removeHeldOn(lostNode);
            r.removeMonitoredByOn(lostNode);
            Ref nodeRef = r.removeNodeMonitor(lostNode);
            for (Object linked : links) {
                Envelope exit = linked instanceof Pid pid
                        ? new Envelope(Envelope.EXIT, pid, Reason.NO_CONNECTION, null)
                        : new Envelope(
                                Envelope.EXIT,
                                corePid,
                                new MessageExitProcessId((ProcessId) linked, Reason.NO_CONNECTION),
                                null);
                Router.deliverQuietly(p, exit, MailboxQueue.URGENT);
            }
            held.forEach((form, h) -> {
                Object down = form instanceof ProcessId id
                        ? new MessageDownProcessId(id, h.ref(), Reason.NO_CONNECTION)
                        : new MessageDownPid(h.pid(), h.ref(), Reason.NO_CONNECTION);
                Router.deliverQuietly(
                        p,
                        new Envelope(Envelope.MESSAGE, h.pid() != null ? h.pid() : corePid, down, null),
                        MailboxQueue.SYSTEM);
            });
            if (nodeRef != null) {
                Router.deliverQuietly(
                        p,
                        new Envelope(
                                Envelope.MESSAGE,
                                corePid,
                                new MessageDownNode(lostNode, nodeRef, Reason.NO_CONNECTION),
                                null),
                        MailboxQueue.SYSTEM);
            }
        }
    }
}
