package services.ergo.observer;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import services.ergo.act.Actor;
import services.ergo.gen.Pid;
import services.ergo.spring.actor.ErgoActor;

/** A node with something to look at: a process that falls behind, one that ticks, and one on the other node. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ObservedApplication {

    /** Handles a message every 30 ms: a steady sender builds it a backlog. */
    @ErgoActor(name = "backlog", application = "observed")
    public static class Backlog extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) throws InterruptedException {
            Thread.sleep(30); // the work: slower than the sender
        }
    }

    /** Counts ticks it sends itself; shows the count in handleInspect. */
    @ErgoActor(name = "ticker", application = "observed")
    public static class Ticker extends Actor {
        private long ticks;

        @Override
        protected void init(Object... args) {
            sendAfter(pid(), "tick", Duration.ofMillis(100));
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            ticks++;
            sendAfter(pid(), "tick", Duration.ofMillis(100));
        }

        @Override
        protected Map<String, String> handleInspect(Pid from, String... items) {
            return Map.of("ticks", Long.toString(ticks));
        }
    }

    /** Runs on the second node only (ON_DEMAND here; the test spawns it there). */
    @ErgoActor(name = "remote-echo", start = ErgoActor.Start.ON_DEMAND)
    public static class RemoteEcho extends Actor {}
}
