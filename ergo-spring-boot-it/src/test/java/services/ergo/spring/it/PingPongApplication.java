package services.ergo.spring.it;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.stereotype.Component;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Ref;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actor.ErgoApplication;

/** A service as a user writes it (nested components are registered with it, no scan needed): @ErgoActor beans with injected dependencies, configured from properties. */
@SpringBootConfiguration
@EnableAutoConfiguration
@ErgoApplication(name = "pingpong", weight = 50, mode = ApplicationMode.PERMANENT)
public class PingPongApplication {

    /** What the pinger heard back: a plain singleton bean the actor gets by constructor injection. */
    @Component
    public static class Replies {
        public final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    }

    /** Answers calls and plain messages; its replies name the node it runs on. */
    @ErgoActor(name = "pong", application = "pingpong")
    public static class Pong extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return "pong from " + node().name() + " to " + request;
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            send(from, "pong from " + node().name());
        }
    }

    /** Sends "ping" to pong@{the node named in the message}, and puts what comes back into {@link Replies}. */
    @ErgoActor(name = "pinger")
    public static class Pinger extends Actor {
        private final Replies replies;

        public Pinger(Replies replies) {
            this.replies = replies;
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            String text = (String) message;
            if (text.startsWith("ping ")) {
                send(new ProcessId("pong", text.substring(5)), "ping");
            } else {
                replies.received.add(text);
            }
        }
    }

    /** Spawned by other nodes by name ("worker"), any of them. */
    @ErgoActor(name = "worker", remoteSpawn = true, start = ErgoActor.Start.ON_DEMAND)
    public static class Worker extends Actor {
        private final Replies replies;

        public Worker(Replies replies) {
            this.replies = replies;
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return "worker on " + node().name() + " (has replies: " + (replies != null) + ")";
        }
    }

    /** Spawnable by other nodes only from the nodes its allow-list names. */
    @ErgoActor(name = "restricted", remoteSpawn = true, start = ErgoActor.Start.ON_DEMAND)
    public static class Restricted extends Actor {}
}
