package services.ergo.spring.lifecycle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.Network;
import services.ergo.gen.Node;
import services.ergo.gen.NotAllowedException;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actor.ErgoActorDefinition;
import services.ergo.spring.actor.ErgoActors;
import services.ergo.spring.actor.ErgoApplicationDefinition;

/**
 * Starts what runs on the node (applications, node-level actors, remote access) before the web server takes
 * traffic, and on shutdown, after the web server stopped: lets mailboxes drain within the grace period, stops the
 * applications in reverse order, stops the node (which deregisters it).
 *
 * <p>Its phase ({@link #PHASE}) is below the web server's, so it starts earlier and stops later: the acceptor
 * outlives the web server's graceful shutdown. Weights go to 0 earlier still, in {@link ErgoDrainLifecycle}.
 */
public final class ErgoNodeLifecycle implements SmartLifecycle {
    /** Below Spring Boot's web server start/stop phase ({@code DEFAULT_PHASE - 2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger LOG = LoggerFactory.getLogger(ErgoNodeLifecycle.class);

    private final Node node;
    private final ErgoActors actors;
    private final Map<String, ErgoApplicationDefinition> applications;
    private final List<ApplicationBehavior> otherApplications;
    private final Map<String, Integer> weightOverrides;
    private final RemoteAccess remoteAccess;
    private final Duration gracePeriod;
    private final Deque<String> started = new ArrayDeque<>();
    private volatile boolean running;

    /**
     * @param applications the {@code @ErgoActor} applications to load, with their yml overrides applied
     * @param otherApplications {@link ApplicationBehavior} beans, loaded and started as they are
     * @param weightOverrides weights from configuration for {@code otherApplications}, by application name; a name
     *     that matches no application fails the start
     */
    public ErgoNodeLifecycle(
            Node node,
            ErgoActors actors,
            Map<String, ErgoApplicationDefinition> applications,
            List<ApplicationBehavior> otherApplications,
            Map<String, Integer> weightOverrides,
            RemoteAccess remoteAccess,
            Duration gracePeriod) {
        this.node = node;
        this.actors = actors;
        this.applications = new LinkedHashMap<>(applications);
        this.otherApplications = List.copyOf(otherApplications);
        this.weightOverrides = Map.copyOf(weightOverrides);
        this.remoteAccess = remoteAccess;
        this.gracePeriod = gracePeriod;
    }

    @Override
    public void start() {
        List<String> toStart = new ArrayList<>();
        for (ErgoApplicationDefinition app : applications.values()) {
            List<ErgoActorDefinition> members = actors.definitions().stream()
                    .filter(d -> d.application().equals(app.name()))
                    .toList();
            node.applicationLoad(new ActorApplication(app, members, actors));
            if (app.start()) {
                toStart.add(app.name());
            }
        }
        for (ApplicationBehavior behavior : otherApplications) {
            String name = node.applicationLoad(behavior);
            Integer weight = weightOverrides.get(name);
            if (weight != null && weight >= 0) { // negative: configured without a weight
                node.applicationSetWeight(name, weight);
            }
            toStart.add(name);
        }
        for (String name : weightOverrides.keySet()) {
            if (!toStart.contains(name) && !applications.containsKey(name)) {
                throw new IllegalStateException("ergo.applications." + name
                        + " configures an application that does not exist; loaded: "
                        + node.applications().stream()
                                .map(ApplicationInfo::name)
                                .toList());
            }
        }
        startInDependencyOrder(toStart);
        for (ErgoActorDefinition d : actors.definitions()) {
            if (d.application().isEmpty() && d.start() == ErgoActor.Start.NODE) {
                for (String name : d.registeredNames()) {
                    if (name == null) {
                        node.spawn(actors.factory(d.beanName()), d.options());
                    } else {
                        node.spawnRegister(name, actors.factory(d.beanName()), d.options());
                    }
                }
            }
        }
        enableRemoteAccess();
        running = true;
        LOG.info(
                "node {} started: {} application(s) running, {} actor class(es)",
                node.name(),
                started.size(),
                actors.definitions().size());
    }

    private void startInDependencyOrder(List<String> names) {
        List<String> pending = new ArrayList<>(names);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (String name : List.copyOf(pending)) {
                ApplicationInfo info = node.applicationInfo(name);
                boolean ready = info.depends().stream().allMatch(dep -> isRunning(dep) || !pending.contains(dep));
                if (ready) {
                    node.applicationStart(name, ApplicationOptions.defaults());
                    started.push(name);
                    pending.remove(name);
                    progress = true;
                }
            }
            if (!progress) {
                throw new IllegalStateException("applications depend on each other in a cycle: " + pending);
            }
        }
    }

    private boolean isRunning(String application) {
        try {
            return node.applicationInfo(application).state() == ApplicationState.RUNNING;
        } catch (RuntimeException unknown) {
            return false;
        }
    }

    private void enableRemoteAccess() {
        boolean wanted = !remoteAccess.applicationStartAllowedNodes().isEmpty()
                || actors.definitions().stream().anyMatch(ErgoActorDefinition::remoteSpawn);
        if (!wanted) {
            return;
        }
        Network network;
        try {
            network = node.network();
        } catch (NotAllowedException off) {
            LOG.warn("node {}: remote spawn and application start are declared, but the network is off", node.name());
            return;
        }
        for (ErgoActorDefinition d : actors.definitions()) {
            if (d.remoteSpawn()) {
                List<String> allowed = remoteAccess.spawnAllowedNodes().getOrDefault(d.name(), List.of());
                network.enableSpawn(d.name(), actors.factory(d.beanName()), allowed.toArray(String[]::new));
            }
        }
        remoteAccess
                .applicationStartAllowedNodes()
                .forEach((app, allowed) -> network.enableApplicationStart(app, allowed.toArray(String[]::new)));
    }

    @Override
    public void stop() {
        if (!running) {
            return;
        }
        running = false;
        awaitIdle();
        while (!started.isEmpty()) {
            String name = started.pop();
            try {
                node.applicationStop(name);
            } catch (RuntimeException e) {
                LOG.warn("node {}: stopping application {} failed: {}", node.name(), name, e.toString());
            }
        }
        node.stop();
        LOG.info("node {} stopped", node.name());
    }

    /** Waits until no process has work queued or in hand, or the grace period has passed. */
    private void awaitIdle() {
        long deadline = System.nanoTime() + gracePeriod.toNanos();
        long backlog = backlog();
        while (backlog > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backlog = backlog();
        }
        if (backlog > 0) {
            LOG.warn(
                    "node {}: grace period {} over with {} message(s) still queued; stopping anyway",
                    node.name(),
                    gracePeriod,
                    backlog);
        }
    }

    private long backlog() {
        long[] queued = {0};
        node.forEachProcess(p -> queued[0] += p.mailboxDepth());
        return queued[0] + node.info().processesRunning();
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
