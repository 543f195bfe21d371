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

    /** Spring Security is on the test class path: the browser test opens everything, as an app without it would. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(
            name = "test.security",
            havingValue = "open")
    static class OpenSecurity {
        @org.springframework.context.annotation.Bean
        org.springframework.security.web.SecurityFilterChain open(
                org.springframework.security.config.annotation.web.builders.HttpSecurity http) throws Exception {
            http.authorizeHttpRequests(a -> a.anyRequest().permitAll()).csrf(c -> c.disable());
            return http.build();
        }
    }

    /** Runs on the second node only (ON_DEMAND here; the test spawns it there). */
    @ErgoActor(name = "remote-echo", start = ErgoActor.Start.ON_DEMAND)
    public static class RemoteEcho extends Actor {}
}
