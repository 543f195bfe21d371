package services.ergo.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import services.ergo.inspect.LogBuffer;

/**
 * The inspector process the Observer of any node uses to look at this one, under {@code ergo.inspector.*}.
 *
 * <pre>
 * ergo.inspector.log-lines: 5000
 * </pre>
 */
@ConfigurationProperties("ergo.inspector")
public class ErgoInspectorProperties {

    /** Whether to run the inspector process (ergo_inspector) on this node. */
    private boolean enabled = true;

    /** How many recent log lines the inspector keeps for the Observer's live log. */
    private int logLines = LogBuffer.DEFAULT_LINES;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getLogLines() {
        return logLines;
    }

    public void setLogLines(int logLines) {
        this.logLines = logLines;
    }
}
