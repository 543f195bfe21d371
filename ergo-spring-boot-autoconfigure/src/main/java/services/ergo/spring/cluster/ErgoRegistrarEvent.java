package services.ergo.spring.cluster;

import org.springframework.context.ApplicationEvent;
import services.ergo.gen.RegistrarEvent;

/**
 * A topology or configuration change seen by the node's registrar (a node joined or left, an application started,
 * stopped or changed weight, a configuration item changed), as a Spring event.
 *
 * <pre>{@code
 * @EventListener
 * void onTopology(ErgoRegistrarEvent e) {
 *     if (e.getEvent() instanceof RegistrarEvent.NodeLeft left) {
 *         log.info("{} left the cluster", left.node());
 *     }
 * }
 * }</pre>
 */
public class ErgoRegistrarEvent extends ApplicationEvent {
    private final transient RegistrarEvent event;

    public ErgoRegistrarEvent(Object source, RegistrarEvent event) {
        super(source);
        this.event = event;
    }

    public RegistrarEvent getEvent() {
        return event;
    }

    /** Whether the event changes which nodes run which applications (not a configuration item). */
    public boolean isTopologyChange() {
        return !(event instanceof RegistrarEvent.ConfigUpdate)
                && !(event instanceof RegistrarEvent.Connected)
                && !(event instanceof RegistrarEvent.Disconnected);
    }
}
