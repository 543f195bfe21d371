package services.ergo.spring.test.shop;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.Pid;
import services.ergo.gen.Ref;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actor.ErgoApplication;

/** A service as its developer runs it, configured by this module's application.yml. */
@SpringBootApplication
@ErgoApplication(name = "shop", mode = ApplicationMode.PERMANENT)
public class ShopApplication {

    /** Answers calls with the node it runs on. */
    @ErgoActor(name = "till", application = "shop")
    public static class Till extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request + " at " + node().name();
        }
    }
}
