package services.ergo.spring.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import services.ergo.act.Actor;
import services.ergo.gen.Node;
import services.ergo.gen.Pid;
import services.ergo.spring.actor.ErgoActor;

/** A web service whose actor works slowly, and a probe that looks at the node when the web server stops. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ShutdownApplication {

    @Component
    public static class Done {
        public final List<Object> jobs = new CopyOnWriteArrayList<>();
    }

    @ErgoActor(name = "slow", application = "work")
    public static class Slow extends Actor {
        private final Done done;

        public Slow(Done done) {
            this.done = done;
        }

        @Override
        protected void handleMessage(Pid from, Object message) throws InterruptedException {
            Thread.sleep(20); // the work itself: a job takes a while
            done.jobs.add(message);
        }
    }

    /** Stops in the web server's phase: what it sees is what the node looks like while HTTP shuts down. */
    @Component
    public static class WebPhaseProbe implements SmartLifecycle {
        private final Node node;
        public volatile boolean running;
        public volatile Integer weightWhenWebStopped;
        public volatile Boolean nodeAliveWhenWebStopped;

        public WebPhaseProbe(Node node) {
            this.node = node;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            weightWhenWebStopped = node.applicationInfo("work").weight();
            nodeAliveWhenWebStopped = node.isAlive();
            running = false;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return SmartLifecycle.DEFAULT_PHASE - 2048; // Spring Boot's web server start/stop phase
        }
    }
}
