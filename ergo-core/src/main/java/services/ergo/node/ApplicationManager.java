package services.ergo.node;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationListener;
import services.ergo.gen.ApplicationListener.ApplicationChange;
import services.ergo.gen.ApplicationMemberSpec;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ApplicationSpec;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;

/**
 * The applications of one node: load, start with a mode, watch the members, stop, unload. An application is not a
 * process; the node tells it when one of its members ends, and the mode decides what follows.
 */
final class ApplicationManager {
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationManager.class);
    private static final long STOP_WAIT_MILLIS = 5_000;

    private final LocalNode node;
    private final Map<String, App> apps = new ConcurrentHashMap<>();
    private final List<String> startOrder = new CopyOnWriteArrayList<>();
    private final List<ApplicationListener> listeners = new CopyOnWriteArrayList<>();

    ApplicationManager(LocalNode node) {
        this.node = node;
    }

    private static final class App {
        final ApplicationSpec spec;
        final ApplicationBehavior behavior;
        volatile ApplicationState state = ApplicationState.LOADED;
        volatile ApplicationMode mode;
        volatile int weight;
        volatile long startedMillis;
        volatile Map<String, Object> env;
        /** Members alive now; guarded by the App's lock. */
        final List<Pid> members = new ArrayList<>();

        @Nullable
        Reason stopReason;

        @Nullable
        CountDownLatch stopped;

        App(ApplicationSpec spec, ApplicationBehavior behavior) {
            this.spec = spec;
            this.behavior = behavior;
            this.mode = spec.mode();
            this.weight = spec.weight();
            this.env = spec.env();
        }
    }

    void addListener(ApplicationListener listener) {
        listeners.add(listener);
    }

    String load(ApplicationBehavior behavior, Object... args) {
        if (behavior == null) {
            throw new IllegalArgumentException("applicationLoad needs an application");
        }
        ApplicationSpec spec;
        try {
            spec = behavior.load(node, args == null ? new Object[0] : args);
        } catch (ErgoException e) {
            throw e;
        } catch (Exception e) {
            throw new ErgoException("load of application " + behavior.getClass().getName() + " failed: " + e, e);
        }
        if (spec == null) {
            throw new ErgoException("application " + behavior.getClass().getName() + " returned no spec from load");
        }
        App app = new App(spec, behavior);
        if (apps.putIfAbsent(spec.name(), app) != null) {
            throw new NameTakenException(spec.name());
        }
        notify(app, ApplicationChange.LOADED);
        return spec.name();
    }

    void start(String name, ApplicationOptions options) {
        App app = get(name);
        synchronized (app) {
            if (app.state != ApplicationState.LOADED) {
                throw new NotAllowedException(
                        "application '" + name + "' is " + app.state.name().toLowerCase());
            }
            for (String dep : app.spec.depends()) {
                App d = apps.get(dep);
                if (d == null || d.state != ApplicationState.RUNNING) {
                    throw new ErgoException(
                            "application '" + name + "' depends on '" + dep + "', which is not running");
                }
            }
            app.mode = options.mode() != null ? options.mode() : app.spec.mode();
            Map<String, Object> env = new LinkedHashMap<>(app.spec.env());
            env.putAll(options.env());
            app.env = Collections.unmodifiableMap(env);
            app.members.clear();
            app.stopReason = null;
            app.state = ApplicationState.RUNNING;
            app.startedMillis = System.currentTimeMillis();
        }
        try {
            for (ApplicationMemberSpec m : app.spec.group()) {
                Map<String, Object> memberEnv = new LinkedHashMap<>(app.env);
                memberEnv.putAll(m.options().env());
                Pid pid = node.table.spawn(
                        null,
                        m.name(),
                        m.factory(),
                        m.options().withEnv(memberEnv),
                        name,
                        m.args().toArray());
                synchronized (app) {
                    app.members.add(pid);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("application {} failed to start: {}", name, e.getMessage());
            List<Pid> started;
            synchronized (app) {
                started = new ArrayList<>(app.members);
                app.members.clear();
                app.state = ApplicationState.LOADED;
            }
            started.forEach(this::killQuietly);
            throw new ErgoException("application '" + name + "' failed to start: " + e.getMessage(), e);
        }
        if (!startOrder.contains(name)) {
            startOrder.add(name);
        }
        app.behavior.start(app.mode);
        notify(app, ApplicationChange.STARTED);
        LOG.info("application {} started ({}, weight {})", name, app.mode.name().toLowerCase(), app.weight);
    }

    private void killQuietly(Pid pid) {
        try {
            node.kill(pid);
        } catch (ProcessUnknownException ignored) {
            // already gone
        }
    }

    /** A process of an application ended; the mode decides what the application does. */
    void memberEnded(LocalProcess p, Reason reason) {
        App app = apps.get(p.application);
        if (app == null) {
            return;
        }
        boolean stopApp = false;
        boolean finished = false;
        synchronized (app) {
            if (!app.members.remove(p.pid)) {
                return; // not a member itself but a process one of them spawned
            }
            if (app.state == ApplicationState.STOPPING) {
                finished = app.members.isEmpty();
            } else if (app.state == ApplicationState.RUNNING) {
                switch (app.mode) {
                    case TEMPORARY -> finished = app.members.isEmpty();
                    case TRANSIENT -> {
                        if (reason.isAbnormal()) {
                            stopApp = true;
                        } else {
                            finished = app.members.isEmpty();
                        }
                    }
                    case PERMANENT -> stopApp = true;
                }
                if (finished && app.stopReason == null) {
                    app.stopReason = Reason.NORMAL;
                }
                if (stopApp) {
                    app.stopReason = reason;
                }
            }
        }
        if (stopApp) {
            LOG.warn(
                    "application {} ({}) stops: member {} ended with {}",
                    app.spec.name(),
                    app.mode.name().toLowerCase(),
                    p.pid,
                    reason);
            beginStop(app, reason);
        } else if (finished) {
            finishStop(app);
        }
    }

    void stop(String name) {
        App app = get(name);
        CountDownLatch latch;
        synchronized (app) {
            if (app.state != ApplicationState.RUNNING) {
                throw new NotAllowedException("application '" + name + "' is not running");
            }
            app.stopReason = Reason.NORMAL;
        }
        latch = beginStop(app, Reason.SHUTDOWN);
        if (Thread.currentThread() instanceof Scheduler.WorkerThread) {
            return; // a handler cannot wait for its own application: it finishes when the last member ends
        }
        try {
            if (!latch.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                List<Pid> left;
                synchronized (app) {
                    left = new ArrayList<>(app.members);
                }
                LOG.warn(
                        "application {}: {} members did not stop within {} ms; killing them",
                        name,
                        left.size(),
                        STOP_WAIT_MILLIS);
                left.forEach(this::killQuietly);
                latch.await(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private CountDownLatch beginStop(App app, Reason signal) {
        List<Pid> members;
        CountDownLatch latch;
        synchronized (app) {
            if (app.state == ApplicationState.STOPPING) {
                return app.stopped;
            }
            app.state = ApplicationState.STOPPING;
            app.stopped = new CountDownLatch(1);
            latch = app.stopped;
            members = new ArrayList<>(app.members);
        }
        notify(app, ApplicationChange.STOPPING);
        if (members.isEmpty()) {
            finishStop(app);
        } else {
            Reason exit = signal.isAbnormal() ? Reason.SHUTDOWN : signal;
            for (Pid m : members) {
                node.router.sendExitSignal(node.corePid(), m, exit);
            }
        }
        return latch;
    }

    private void finishStop(App app) {
        Reason reason;
        synchronized (app) {
            if (app.state == ApplicationState.LOADED) {
                return;
            }
            app.state = ApplicationState.LOADED;
            reason = app.stopReason == null ? Reason.NORMAL : app.stopReason;
        }
        startOrder.remove(app.spec.name());
        try {
            app.behavior.terminate(reason);
        } catch (RuntimeException e) {
            LOG.warn("terminate of application {} failed", app.spec.name(), e);
        }
        notify(app, ApplicationChange.STOPPED);
        LOG.info("application {} stopped: {}", app.spec.name(), reason);
        CountDownLatch latch = app.stopped;
        if (latch != null) {
            latch.countDown(); // last: whoever waits in stop() sees terminate and listeners done
        }
        if (app.mode == ApplicationMode.PERMANENT && !Reason.NORMAL.equals(reason) && !node.isStopping()) {
            LOG.error("permanent application {} stopped ({}): stopping node {}", app.spec.name(), reason, node.name);
            node.stop();
        }
    }

    void unload(String name) {
        App app = get(name);
        synchronized (app) {
            if (app.state != ApplicationState.LOADED) {
                throw new NotAllowedException("application '" + name + "' is "
                        + app.state.name().toLowerCase() + "; stop it before unloading");
            }
            apps.remove(name);
        }
        notify(app, ApplicationChange.UNLOADED);
    }

    void setWeight(String name, int weight) {
        if (weight < 0) {
            throw new IllegalArgumentException("application weight must be >= 0, got " + weight);
        }
        App app = get(name);
        app.weight = weight;
        notify(app, ApplicationChange.WEIGHT);
    }

    ApplicationInfo info(String name) {
        return infoOf(get(name));
    }

    List<ApplicationInfo> list() {
        List<ApplicationInfo> out = new ArrayList<>();
        apps.values().forEach(a -> out.add(infoOf(a)));
        out.sort((a, b) -> a.name().compareTo(b.name()));
        return out;
    }

    long total() {
        return apps.size();
    }

    long running() {
        return apps.values().stream()
                .filter(a -> a.state == ApplicationState.RUNNING)
                .count();
    }

    /** Stops running applications, the last started first; used when the node stops. */
    void stopAll() {
        List<String> order = new ArrayList<>(startOrder);
        Collections.reverse(order);
        for (String name : order) {
            App app = apps.get(name);
            if (app != null && app.state == ApplicationState.RUNNING) {
                try {
                    stop(name);
                } catch (RuntimeException e) {
                    LOG.warn("stopping application {} failed: {}", name, e.getMessage());
                }
            }
        }
    }

    private App get(String name) {
        App app = apps.get(name);
        if (app == null) {
            throw new ErgoException("application '" + name + "' is not loaded");
        }
        return app;
    }

    private ApplicationInfo infoOf(App a) {
        List<Pid> group;
        synchronized (a) {
            group = List.copyOf(a.members);
        }
        long uptime = a.state == ApplicationState.LOADED ? 0 : System.currentTimeMillis() - a.startedMillis;
        return new ApplicationInfo(
                a.spec.name(),
                a.spec.description(),
                a.spec.version(),
                a.spec.depends(),
                a.env,
                group,
                a.mode,
                a.state,
                a.weight,
                uptime);
    }

    private void notify(App app, ApplicationChange change) {
        if (listeners.isEmpty()) {
            return;
        }
        ApplicationInfo info = infoOf(app);
        for (ApplicationListener l : listeners) {
            try {
                l.applicationChanged(info, change);
            } catch (RuntimeException e) {
                LOG.warn("application listener failed on {} {}", change, app.spec.name(), e);
            }
        }
    }
}
