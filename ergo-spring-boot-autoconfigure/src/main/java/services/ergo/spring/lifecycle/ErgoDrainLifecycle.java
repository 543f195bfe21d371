package services.ergo.spring.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.Node;

/**
 * First step of a shutdown: sets the weight of every running application to 0, so other nodes stop routing new
 * work here while the web server's graceful shutdown and the node's grace period let the work in hand finish.
 *
 * <p>Its phase ({@link #PHASE}) is above the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), so it
 * stops first. It has nothing to start.
 */
public final class ErgoDrainLifecycle implements SmartLifecycle {
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private static final Logger LOG = LoggerFactory.getLogger(ErgoDrainLifecycle.class);

    private final Node node;
    private volatile boolean running;

    public ErgoDrainLifecycle(Node node) {
        this.node = node;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        if (!node.isAlive()) {
            return;
        }
        for (ApplicationInfo app : node.applications()) {
            if (app.state() == ApplicationState.RUNNING && app.weight() > 0) {
                try {
                    node.applicationSetWeight(app.name(), 0);
                    LOG.info(
                            "node {}: draining application {} (weight {} -> 0)", node.name(), app.name(), app.weight());
                } catch (RuntimeException e) {
                    LOG.warn("node {}: cannot drain application {}: {}", node.name(), app.name(), e.toString());
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /**
     * Not part of a pause: Spring Framework 7 pauses a cached test context (stopping its pauseable lifecycles) when
     * the next test class needs another, and restarts it on reuse. A stopped node cannot start again (its names are
     * released to whoever takes them first), so a paused context would come back broken.
     */
    @Override
    public boolean isPauseable() {
        return false;
    }
}
