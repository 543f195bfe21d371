package services.ergo.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import services.ergo.inspect.LogBuffer;

/**
 * The inspector process the Observer of any node uses to look at this one, under {@code ergo.inspector.*}.
 *
 * <pre>
 * ergo.inspector.log-lines: 5000
 * ergo.inspector.actions-enabled: true   # let Observers (of any node) act on this one
 * ergo.inspector.env-enabled: false      # never show process env to an Observer
 * </pre>
 */
@ConfigurationProperties("ergo.inspector")
public class ErgoInspectorProperties {

    /** Whether to run the inspector process (ergo_inspector) on this node. */
    private boolean enabled = true;

    /** How many recent log lines the inspector keeps for the Observer's live log. */
    private int logLines = LogBuffer.DEFAULT_LINES;

    /**
     * Whether the inspector acts when asked (send, exit, kill, start and stop applications, weights), whoever asks:
     * checked on this node, whatever the asking Observer allows. An application start asked by another node also
     * needs ergo.network.remote-application-start and its allow-list to grant it.
     */
    private boolean actionsEnabled = false;

    /** Whether the inspector serves this node's recent log lines. */
    private boolean logsEnabled = true;

    /** Whether the inspector shows a process's env (which includes the node's ergo.node.env). */
    private boolean envEnabled = true;

    public boolean isActionsEnabled() {
        return actionsEnabled;
    }

    public void setActionsEnabled(boolean actionsEnabled) {
        this.actionsEnabled = actionsEnabled;
    }

    public boolean isLogsEnabled() {
        return logsEnabled;
    }

    public void setLogsEnabled(boolean logsEnabled) {
        this.logsEnabled = logsEnabled;
    }

    public boolean isEnvEnabled() {
        return envEnabled;
    }

    public void setEnvEnabled(boolean envEnabled) {
        this.envEnabled = envEnabled;
    }

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
