package services.ergo.spring.autoconfigure;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The node's {@code ergo_*} meters, under {@code ergo.metrics.*}.
 *
 * <pre>
 * ergo.metrics.top-mailboxes: 20
 * </pre>
 */
@ConfigurationProperties("ergo.metrics")
public class ErgoMetricsProperties {

    /** Whether to publish the ergo_* meters to the MeterRegistry. */
    private boolean enabled = true;

    /** How many of the deepest mailboxes to publish as ergo_process_mailbox_depth. */
    private int topMailboxes = 10;

    /** How often the per-remote-node and top-mailbox series are refreshed. */
    private Duration refreshInterval = Duration.ofSeconds(5);

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getTopMailboxes() {
        return topMailboxes;
    }

    public void setTopMailboxes(int topMailboxes) {
        this.topMailboxes = topMailboxes;
    }

    public Duration getRefreshInterval() {
        return refreshInterval;
    }

    public void setRefreshInterval(Duration refreshInterval) {
        this.refreshInterval = refreshInterval;
    }
}
