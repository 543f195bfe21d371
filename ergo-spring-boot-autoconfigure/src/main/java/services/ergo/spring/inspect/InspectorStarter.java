package services.ergo.spring.inspect;

import java.util.List;
import java.util.function.Supplier;
import org.springframework.beans.factory.SmartInitializingSingleton;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessOptions;
import services.ergo.leader.LeaderStatus;

/** Starts the node's {@link Inspector} once every bean is made. */
public final class InspectorStarter implements SmartInitializingSingleton {
    private final Node node;
    private final LogBuffer logs;
    private final Supplier<List<LeaderStatus>> leaders;

    public InspectorStarter(Node node, LogBuffer logs, Supplier<List<LeaderStatus>> leaders) {
        this.node = node;
        this.logs = logs;
        this.leaders = leaders;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (node.whereIs(Inspector.NAME) == null) {
            node.spawnRegister(Inspector.NAME, () -> new Inspector(logs, leaders), ProcessOptions.defaults());
        }
    }
}
