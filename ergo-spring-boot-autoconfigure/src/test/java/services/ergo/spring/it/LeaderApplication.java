package services.ergo.spring.it;

import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.stereotype.Component;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderOptions;
import services.ergo.spring.actor.ErgoActor;

/** A service with a leader actor bean: the group comes from ergo.leader.groups.schedulers in yml. */
@SpringBootConfiguration
@EnableAutoConfiguration
public class LeaderApplication {

    /** Counts how often this node became leader: a plain bean injected into the actor. */
    @Component
    public static class Leadership {
        public final AtomicInteger terms = new AtomicInteger();
    }

    @ErgoActor(name = "scheduler")
    public static class Scheduler extends LeaderActor {
        private final LeaderGroups groups;
        private final Leadership leadership;

        public Scheduler(LeaderGroups groups, Leadership leadership) {
            this.groups = groups;
            this.leadership = leadership;
        }

        @Override
        protected LeaderOptions initLeader(Object... args) {
            return groups.options("schedulers");
        }

        @Override
        protected void handleBecomeLeader() {
            leadership.terms.incrementAndGet();
        }
    }
}
