package services.ergo.samples.coordinator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.inspect.Inspector;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.spring.actor.ErgoActor;

/**
 * Finds the workers for the local {@link Coordinator}: from the registrar's application routes, at once when etcd
 * pushes a topology event and every 200 ms anyway, or, with a registrar that knows no applications (the embedded
 * one: {@code RegistrarInfo.supportsApplications()} false) or lists no worker, by asking each node's inspector which
 * applications it runs. Its own process, so a slow or dead node never stalls the election.
 */
@ErgoActor(name = "worker-scout")
public class WorkerScout extends Actor {
    private static final Duration EVERY = Duration.ofMillis(200);
    private static final Duration ASK_TIMEOUT = Duration.ofMillis(300);

    @Override
    protected void init(Object... args) {
        // with etcd, application changes are pushed: look at once when one comes, and every 200 ms anyway
        node().network().registrar().event().ifPresent(this::monitorEvent);
        sendAfter(pid(), "look", EVERY);
    }

    @Override
    protected void handleEvent(MessageEvent event) {
        if (event.message() instanceof RegistrarEvent e && !(e instanceof RegistrarEvent.ConfigUpdate)) {
            tellCoordinator();
        }
    }

    @Override
    protected void handleMessage(Pid from, Object message) {
        if ("look".equals(message)) {
            tellCoordinator();
            sendAfter(pid(), "look", EVERY);
        }
    }

    private void tellCoordinator() {
        try {
            List<ApplicationRoute> routes = look();
            connect(routes);
            send(JobsProtocol.COORDINATOR_PROCESS, new Workers(routes));
        } catch (RuntimeException e) {
            log().debug("looking for workers failed: {}", e.toString());
        }
    }

    /** Dials the workers the leader may pick, here rather than in the leader, whose turn must stay short. */
    private void connect(List<ApplicationRoute> routes) {
        List<String> connected = node().network().nodes();
        for (ApplicationRoute r : routes) {
            if (!connected.contains(r.node())) {
                try {
                    node().network().connect(r.node());
                } catch (RuntimeException unreachable) {
                    // dead or not up yet: the leader passes it over until it is connected
                }
            }
        }
    }

    private List<ApplicationRoute> look() {
        Registrar registrar = node().network().registrar();
        if (registrar.info().supportsApplications()) {
            List<ApplicationRoute> routes = registrar.resolver().resolveApplication(JobsProtocol.WORKER_APPLICATION);
            if (!routes.isEmpty()) {
                return routes;
            }
            // none listed (yet): ask the inspectors too, for a worker whose start the registrar has not published
        }
        List<ApplicationRoute> found = new ArrayList<>();
        for (String other : registrar.nodes()) {
            if (other.equals(node().name())) {
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> summary = (Map<String, Object>)
                        call(new ProcessId(Inspector.NAME, other), new HashMap<>(Map.of("op", "node")), ASK_TIMEOUT);
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> apps = (List<Map<String, Object>>) summary.get("applications");
                for (Map<String, Object> app : apps) {
                    if (JobsProtocol.WORKER_APPLICATION.equals(app.get("name"))) {
                        found.add(new ApplicationRoute(
                                other,
                                JobsProtocol.WORKER_APPLICATION,
                                ((Number) app.get("weight")).intValue(),
                                ApplicationMode.valueOf(((String) app.get("mode")).toUpperCase()),
                                ApplicationState.valueOf(((String) app.get("state")).toUpperCase())));
                    }
                }
            } catch (RuntimeException unreachable) {
                // not there now: looked at again in 200 ms
            }
        }
        return found;
    }
}
