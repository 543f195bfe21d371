package services.ergo.spring.inspect;

import org.springframework.beans.factory.SmartInitializingSingleton;
import services.ergo.gen.Node;
import services.ergo.inspect.Inspector;
import services.ergo.inspect.InspectorOptions;

/**
 * Starts the node's {@link Inspector} once every bean is made, unless the node already runs one (one the
 * application started itself, for instance).
 */
public final class InspectorStarter implements SmartInitializingSingleton {
    private final Node node;
    private final InspectorOptions options;

    public InspectorStarter(Node node, InspectorOptions options) {
        this.node = node;
        this.options = options;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (node.whereIs(Inspector.NAME) == null) {
            Inspector.start(node, options);
        }
    }
}
