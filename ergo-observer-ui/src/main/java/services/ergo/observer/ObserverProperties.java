package services.ergo.observer;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;

/** The Observer: {@code ergo.observer.*}. */
@ConfigurationProperties("ergo.observer")
public class ObserverProperties {

    /** Whether to serve the Observer (the page at /observer and the observer Actuator endpoint). */
    private boolean enabled = true;

    /**
     * No longer grants anything: the Observer's actions follow management.endpoint.observer.access on the node
     * serving the page, and ergo.inspector.actions-enabled on the node acted on.
     */
    private boolean actionsEnabled = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * @deprecated the Observer has one access model, the Actuator's: set
     *     {@code management.endpoint.observer.access=unrestricted} here and {@code ergo.inspector.actions-enabled=true}
     *     on the nodes to act on. Read only to warn that it is ignored.
     */
    @Deprecated(since = "0.1.0")
    @DeprecatedConfigurationProperty(
            replacement = "management.endpoint.observer.access",
            reason = "Ignored: actions follow the Actuator's access to the observer endpoint, and "
                    + "ergo.inspector.actions-enabled on the node acted on",
            since = "0.1.0")
    public boolean isActionsEnabled() {
        return actionsEnabled;
    }

    @Deprecated(since = "0.1.0")
    public void setActionsEnabled(boolean actionsEnabled) {
        this.actionsEnabled = actionsEnabled;
    }
}
