package services.ergo.saturn.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import services.ergo.saturn.server.SaturnCounters;
import services.ergo.saturn.server.SaturnServer;

/**
 * The Saturn server's meters: its {@link SaturnCounters} as counters and, per cluster, its sessions, revision and
 * the most bytes queued for one client. In Prometheus: {@code saturn_sessions{cluster="production"}},
 * {@code saturn_revision{cluster}}, {@code saturn_client_queue_max_bytes{cluster}}, {@code
 * saturn_changes_encoded_total}, {@code saturn_delta_frames_total}, {@code saturn_delta_frames_built_total}, {@code saturn_snapshots_total}, {@code
 * saturn_resyncs_total}, {@code saturn_resumes_total}, {@code saturn_registrations_total}, {@code
 * saturn_reclaims_total}, {@code saturn_expired_total}, {@code saturn_busy_total}, {@code
 * saturn_refused_frames_total}, {@code saturn_bad_proofs_total}, {@code saturn_names_refused_total}, {@code
 * saturn_names_taken_total}, {@code saturn_revoked_total}, {@code saturn_config_reloads_total}, {@code saturn_config_reload_failures_total}.
 * The per-cluster meters follow the clusters that a reload of {@code saturn.yaml} adds or removes: binding
 * registers {@link #refresh()} as the server's config listener.
 *
 * <pre>{@code
 * new SaturnMetrics(server).bindTo(registry);
 * }</pre>
 */
public final class SaturnMetrics implements MeterBinder {
    private final SaturnServer server;
    private final List<MeterRegistry> registries = new CopyOnWriteArrayList<>();
    /** The per-cluster meters of each registry, so that {@link #refresh()} can follow the clusters. */
    private final Map<MeterRegistry, Map<String, List<Meter>>> clusterMeters = new HashMap<>();
    /** Set by the first binding: one listener, whatever the number of registries. */
    private final AtomicBoolean listening = new AtomicBoolean();

    public SaturnMetrics(SaturnServer server) {
        this.server = server;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        SaturnCounters c = server.counters();
        counter(registry, "saturn.changes.encoded", c, x -> x.changesEncoded, "changes encoded, once each");
        counter(
                registry,
                "saturn.delta.frames",
                c,
                x -> x.deltaFrames,
                "delta frames written, one per client per round");
        counter(
                registry,
                "saturn.delta.frames.built",
                c,
                x -> x.deltaFramesBuilt,
                "delta frames built, once for the clients a round finds at the same revision");
        counter(registry, "saturn.snapshots", c, x -> x.snapshots, "snapshots started (first loads and resyncs)");
        counter(registry, "saturn.resyncs", c, x -> x.resyncs, "snapshots for clients that fell out of the history");
        counter(registry, "saturn.resumes", c, x -> x.resumes, "clients that resumed from their revision by deltas");
        counter(registry, "saturn.registrations", c, x -> x.registrations, "registrations admitted");
        counter(registry, "saturn.reclaims", c, x -> x.reclaims, "sessions taken over by the same node");
        counter(registry, "saturn.expired", c, x -> x.expired, "nodes removed after a silent TTL");
        counter(registry, "saturn.busy", c, x -> x.busy, "registrations refused as busy (over the admitted rate)");
        counter(registry, "saturn.refused.frames", c, x -> x.refusedFrames, "connections closed for bad frames");
        counter(registry, "saturn.bad.proofs", c, x -> x.badProofs, "token proofs that did not verify");
        counter(registry, "saturn.names.refused", c, x -> x.namesRefused, "names a token may not claim");
        counter(registry, "saturn.names.taken", c, x -> x.namesTaken, "names held by another live session");
        counter(registry, "saturn.revoked", c, x -> x.revoked, "clients disconnected as a reload revoked their token");
        counter(
                registry,
                "saturn.config.reloads",
                c,
                x -> x.configReloads,
                "reloads of saturn.yaml put in force, changed or not");
        counter(
                registry,
                "saturn.config.reload.failures",
                c,
                x -> x.configReloadFailures,
                "reloads of saturn.yaml refused (a bad file): the configuration in force stayed");
        registries.add(registry);
        if (listening.compareAndSet(false, true)) {
            server.addConfigListener(this::refresh);
        }
        refresh(registry);
    }

    /**
     * Follows the server's clusters: meters for the ones that came, none for the ones that went. Binding calls it,
     * and so does every configuration the server puts in force ({@link SaturnServer#addConfigListener}); call it
     * when clusters change some other way.
     */
    public void refresh() {
        registries.forEach(this::refresh);
    }

    private synchronized void refresh(MeterRegistry registry) {
        Map<String, List<Meter>> bound = clusterMeters.computeIfAbsent(registry, r -> new HashMap<>());
        Set<String> now = server.clusters();
        for (String cluster : List.copyOf(bound.keySet())) {
            if (!now.contains(cluster)) {
                bound.remove(cluster).forEach(registry::remove);
            }
        }
        for (String cluster : now) {
            bound.computeIfAbsent(cluster, name -> {
                List<Meter> meters = new ArrayList<>();
                meters.add(Gauge.builder("saturn.sessions", server, s -> s.sessions(name))
                        .tag("cluster", name)
                        .description("clients registered to the cluster, hidden ones too")
                        .register(registry));
                meters.add(Gauge.builder("saturn.revision", server, s -> s.revision(name))
                        .tag("cluster", name)
                        .description("the cluster's revision")
                        .register(registry));
                meters.add(Gauge.builder("saturn.client.queue.max", server, s -> s.maxQueuedBytes(name))
                        .tag("cluster", name)
                        .baseUnit("bytes")
                        .description("the most bytes waiting to be sent to one client of the cluster")
                        .register(registry));
                return meters;
            });
        }
    }

    private static void counter(
            MeterRegistry registry,
            String name,
            SaturnCounters counters,
            Function<SaturnCounters, AtomicLong> field,
            String description) {
        FunctionCounter.builder(name, counters, x -> field.apply(x).get())
                .description(description)
                .register(registry);
    }
}
