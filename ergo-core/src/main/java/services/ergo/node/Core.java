package services.ergo.node;

import java.time.Duration;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Network;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * Internal: what the network calls into the node with, as Ergo's {@code gen.Core}. Everything that arrives from
 * another node comes in through here; everything that leaves goes out through {@link RemoteRouter}. The two
 * interfaces are the whole seam: this package never imports the network's, and the network never sees the
 * node's classes.
 *
 * <p>Targets ({@code to}) are as the peer named them: a {@link Pid}, or a {@code ProcessId} of this node. Methods
 * run on the network's event loops, so they only queue work and never run user code.
 */
public interface Core {

    /** This node's name, {@code name@host}. */
    String name();

    /** Tells a restarted node apart from its previous life. */
    long creation();

    /** The node's own pid, which answers and signals of the node itself come from. */
    Pid corePid();

    NodeOptions options();

    /** The node itself, for what the network does on its behalf (remote spawn, remote application start). */
    Node node();

    /** Called once by the network as it starts: from now on, targets on other nodes go through {@code router}. */
    void attachNetwork(Network network, RemoteRouter router);

    /**
     * A message from another node. An unknown target or a full mailbox is thrown back to the network, which counts
     * it.
     */
    void sendFromRemote(Pid from, Object to, Object message, MailboxQueue queue);

    /** A call from another node; an unknown target or a full mailbox is answered to the caller at once. */
    void callFromRemote(Pid from, Object to, Object request, Ref ref);

    /**
     * Sends a request built around a fresh reference (by {@code send}) on behalf of the node itself, and waits for
     * its answer: what the network uses for remote spawn and application start.
     */
    @Nullable
    Object awaitAnswer(String node, Consumer<Ref> send, Object target, Duration timeout);

    /**
     * The answer to a call this node made, from the node the call went to; an answer from any other node is
     * dropped (the ref alone is guessable).
     */
    void respondFromRemote(Pid from, Pid to, Ref ref, @Nullable Object value, @Nullable ErgoException error);

    /**
     * An exit signal from a process on another node, to a local Pid or registered name. {@code fromName}, when
     * given, is the name the sender was registered under: a local process linked to it by that name gets a
     * {@code MessageExitProcessId}.
     */
    void exitFromRemote(Pid from, Object to, Reason reason, @Nullable String fromName);
    // honoured only along a link between the two: by pid, by name, or (the noproc answer of an old release) from the
    // core of a node the target holds a link on

    /**
     * A process on another node links to a local one (by Pid or name); an unknown one answers with exit
     * {@code noproc}, from the name when the link was made by name.
     */
    void linkFromRemote(Pid from, Object to);

    void unlinkFromRemote(Pid from, Object to);

    /** A process on another node monitors a local one (by Pid or name); an unknown one answers with down {@code noproc}. */
    void monitorFromRemote(Pid from, Object to, Ref ref);

    /** Drops the monitor {@code ref}, if {@code from}'s node holds it. */
    void demonitorFromRemote(Pid from, Object to, Ref ref);

    /** A process this node monitors on another node ended: delivered only for a monitor held on that node. */
    void downFromRemote(Pid from, Pid owner, Ref ref, Reason reason);

    /**
     * The connection to {@code node} is lost: every local process linked to a process there gets an exit signal,
     * every one monitoring a process there a down message, both with reason {@code noconnection}; what processes
     * there held on local ones is forgotten; calls waiting for an answer from there fail at once.
     */
    void nodeDown(String node);

    /** Answers, downs and exits from other nodes dropped because no call, monitor or link here allowed them. */
    long refusedFromRemote();
}
