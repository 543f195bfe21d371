package services.ergo.observer;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** The Observer: {@code ergo.observer.*}. */
@ConfigurationProperties("ergo.observer")
public class ObserverProperties {

    /** Whether to serve the Observer (the page at /observer and the observer Actuator endpoint). */
    private boolean enabled = true;

    /**
     * Whether the Observer may act: send a message, send exit, kill, start and stop applications, change weights.
     * Read-only when false.
     */
    private boolean actionsEnabled = false;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isActionsEnabled() {
        return actionsEnabled;
    }

    public void setActionsEnabled(boolean actionsEnabled) {
        this.actionsEnabled = actionsEnabled;
    }
}
