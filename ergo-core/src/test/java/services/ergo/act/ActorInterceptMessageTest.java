package services.ergo.act;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.MessageDownPid;
import services.ergo.gen.MessageExitPid;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.testing.Reporter;

/** A behaviour built on {@link Actor} takes its own messages through the protected hook, before handleMessage. */
class ActorInterceptMessageTest {
    private Node node;

    @BeforeEach
    void start() {
        node = Ergo.startNode(
                "hook@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    /** The behaviour's own message. */
    record Mine(String text) {}

    /** A behaviour that keeps {@link Mine} messages and every exit message it is shown from its subclasses. */
    abstract static class Taking extends Reporter {
        @Override
        protected final boolean interceptMessage(Pid from, Object message) {
            if (message instanceof Mine m) {
                report("taken " + m.text());
                return true;
            }
            if (message instanceof MessageExitPid exit) {
                report("taken exit " + exit.reason().text());
                return true;
            }
            return false;
        }
    }

    /** A user's actor on that behaviour: traps exits and reports what reaches its handlers. */
    static final class User extends Taking {
        @Override
        protected void setUp(Object... args) {
            setTrapExit(true);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report("handled " + message);
        }

        @Override
        protected void terminate(Reason reason) {
            report("terminated " + reason.text());
        }
    }

    /** Spawns a {@link User} as its child (the queue in args[0]), tells its pid, and sends it exits when told. */
    static final class Parent extends Actor {
        private Pid child;

        @Override
        protected void init(Object... args) {
            child = spawn(User::new, ProcessOptions.defaults(), args[0]);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            sendExit(child, (Reason) message);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return child;
        }
    }

    /** Sends an exit to {@code args[0]} with the reason {@code args[1]}: not the parent of anyone here. */
    static final class Stranger extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            Object[] m = (Object[]) message;
            sendExit((Pid) m[0], (Reason) m[1]);
        }
    }

    /** Reports the down messages of what it monitors (args[1]). */
    static final class Watcher extends Reporter {
        @Override
        protected void setUp(Object... args) {
            monitor(args[1]);
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }
    }

    @Test
    void theHookTakesItsMessagesBeforeHandleMessageAndPassesTheRestOn() {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        Pid user = node.spawn(User::new, ProcessOptions.defaults(), seen);

        node.send(user, "a");
        node.send(user, new Mine("b"));
        node.send(user, "c");

        await().atMost(Duration.ofSeconds(5)).until(() -> seen.size() >= 3);
        assertThat(List.copyOf(seen)).containsExactly("handled a", "taken b", "handled c");
    }

    @Test
    void theParentsExitNeverReachesTheHookAndEndsTheActor() throws Exception {
        BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        Pid parent = node.spawn(Parent::new, ProcessOptions.defaults(), seen);
        Pid user = (Pid) node.call(parent, "child?");
        assertThat(node.processInfo(user).parent()).isEqualTo(parent);
        BlockingQueue<Object> downs = new LinkedBlockingQueue<>();
        node.spawn(Watcher::new, ProcessOptions.defaults(), downs, user);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> node.processInfo(user).monitoredBy().size() == 1);

        // another process's exit is a message to a trapping actor: the hook takes it, and the actor goes on
        Pid stranger = node.spawn(Stranger::new, ProcessOptions.defaults());
        node.send(stranger, new Object[] {user, Reason.of("from a stranger")});
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("taken exit from a stranger"));
        node.send(user, "still here");
        await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("handled still here"));

        // the parent's exit ends it, trapping or not, without passing the hook or handleMessage
        node.send(parent, Reason.of("from the parent"));
        await().atMost(Duration.ofSeconds(5)).until(() -> !downs.isEmpty());
        MessageDownPid down = (MessageDownPid) downs.poll();
        assertThat(down.pid()).isEqualTo(user);
        assertThat(down.reason().text()).isEqualTo("from the parent");
        await().atMost(Duration.ofSeconds(5)).until(() -> !isAlive(user));
        assertThat(List.copyOf(seen))
                .containsExactly("taken exit from a stranger", "handled still here", "terminated from the parent");
    }

    private boolean isAlive(Pid pid) {
        try {
            node.processInfo(pid);
            return true;
        } catch (ProcessUnknownException e) {
            return false;
        }
    }
}
