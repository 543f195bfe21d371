package services.ergo.spring.test.slice;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Component;
import services.ergo.act.Actor;
import services.ergo.gen.Pid;
import services.ergo.gen.Ref;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actor.ErgoApplication;

/** A service whose actors a slice test tests, beside a component the slice leaves out. */
@SpringBootApplication
@ErgoApplication(name = "counters")
public class CounterApplication {

    /** Counts the messages it gets; a call answers the count and the node. */
    @ErgoActor(name = "counter", application = "counters")
    public static class Counter extends Actor {
        private long count;

        @Override
        protected void handleMessage(Pid from, Object message) {
            count++;
            send(from, "counted " + count);
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return count + " on " + node().name();
        }
    }
}

/** Not an actor: a slice test does without it. */
@Component
class Ledger {
    final AtomicLong entries = new AtomicLong();
}
