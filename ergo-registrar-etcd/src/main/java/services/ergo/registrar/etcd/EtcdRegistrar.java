package services.ergo.registrar.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.lease.LeaseKeepAliveResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.support.CloseableClient;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.stub.StreamObserver;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationListener.ApplicationChange;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.gen.RegistrarEvent;
import services.ergo.gen.RegistrarInfo;

/**
 * The etcd registrar: a node registers its route under a lease of its own with a "create if absent" transaction
 * (names are unique within a cluster), publishes its applications' routes under the same lease, and answers
 * resolves from an in-memory mirror of the cluster fed by one GET and one watch from that GET's revision + 1. The
 * watch pushes changes as {@link RegistrarEvent}s to the processes that link or monitor {@link #event()}.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("worker1@host1", NodeOptions.builder()
 *         .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
 *                 .withEndpoints("http://etcd:2379").withCluster("production")))
 *         .build());
 * Map<String, Object> config = node.network().registrar().config("db.pool_size", "cache.enabled");
 * }</pre>
 *
 * <p>When etcd goes away the registrar keeps answering from the mirror, tells {@link RegistrarEvent.Disconnected},
 * retries with backoff, and on its return registers again if the lease was lost, re-reads the cluster, reports
 * what changed meanwhile (nodes that left during the outage among it), puts this node's own keys right (what it
 * changed meanwhile, what someone deleted) and tells {@link RegistrarEvent.Connected}. While connected, a change to
 * one of its own keys that the node did not make is put right too. If another node took this one's name while it
 * was away, it says so once (a WARN and a {@link RegistrarEvent.Disconnected} with the reason) and waits for the
 * name to be free.
 */
public final class EtcdRegistrar implements Registrar {
    /** The name of the node event that carries {@link RegistrarEvent}s. */
    public static final String EVENT = "ergo.registrar";

    private static final Logger LOG = LoggerFactory.getLogger(EtcdRegistrar.class);

    private final EtcdRegistrarOptions options;
    private final EtcdKeys keys;
    private final Object lock = new Object();
    /** A hidden node mirrors the cluster but holds no lease and no key: nobody sees it. */
    private volatile boolean hidden;
    /**
     * What this node's application routes and metadata should be in etcd, by key: the truth that {@link #reconcile}
     * brings etcd back to after an outage, a failed put or a delete by someone else.
     */
    private final Map<String, String> published = new ConcurrentHashMap<>();
    /**
     * The leases this registrar granted (the latest few): a node key held under one of them is this node's own, even
     * when the transaction that put it there timed out before its answer came (L5 of the security review).
     */
    private final Set<Long> ownLeases = new LinkedHashSet<>();
    /**
     * Puts (and deletes) of own keys queued or under way, by key: while one is, a watch event that differs from the
     * node's state is an older put of ours whose successor is coming, not something to put right.
     */
    private final Map<String, Integer> pending = new ConcurrentHashMap<>();
    /**
     * Own keys whose watch event differed from the node's state while a put of ours was pending, to be looked at
     * again once none is: a delete by someone that lands between our put's commit and its answer would otherwise
     * look like the older put it follows, and nothing would put the key back. Guarded by {@link #lock}.
     */
    private final Set<String> recheck = new java.util.HashSet<>();
    /** Whether a {@link #reconcile} is queued on the executor already. */
    private final AtomicBoolean reconcileQueued = new AtomicBoolean();
    /** Why the node's name is not its own in etcd now (another node took it while this one was away); or null. */
    private volatile @Nullable String nameTaken;

    // null until register (client and executor also when it failed early); routeValue stays null for a hidden node
    private @Nullable Client client;

    private @Nullable Node node;
    private @Nullable String self;
    private @Nullable String routeValue;
    private @Nullable ClusterView view;
    private @Nullable Ref eventToken;
    private @Nullable ScheduledExecutorService executor;
    private volatile long leaseId;
    private volatile @Nullable CloseableClient keepAlive;
    private volatile long keepAliveGeneration;
    /** Bumped when the watches are replaced (under {@link #lock}). */
    private volatile long watchGeneration;

    private final List<Watch.Watcher> watchers = new ArrayList<>();
    private volatile boolean connected;
    private volatile boolean terminated;
    private volatile long registeredAtNanos;
    private volatile boolean recovering;
    private int attempt;

    public EtcdRegistrar(EtcdRegistrarOptions options) {
        this.options = options == null ? EtcdRegistrarOptions.defaults() : options;
        this.keys = new EtcdKeys(this.options.cluster());
    }

    public EtcdRegistrarOptions options() {
        return options;
    }

    /**
     * When ({@link System#nanoTime()}) this node's create transaction went to etcd, the connection and the lease
     * being ready: where discovery latency starts ({@code scripts/bench etcd-discovery}).
     */
    public long registeredAtNanos() {
        return registeredAtNanos;
    }

    /** Whether etcd answers now (the mirror is live); false during an outage, when it may be stale. */
    @Override
    public boolean connected() {
        return connected;
    }

    // ------------------------------------------------------------------ registration

    @Override
    public void registerHidden(Node owner) {
        hidden = true;
        register(owner, null);
    }

    @Override
    public void register(Node owner, @Nullable NetworkRoute route) {
        synchronized (lock) {
            if (self != null) {
                throw new IllegalStateException("an etcd registrar serves one node; it already serves " + self);
            }
            node = owner;
            self = owner.name();
            routeValue = route == null ? null : ClusterView.formatRoute(route);
            view = new ClusterView(keys, self, why -> LOG.warn("etcd registrar of {}: {}", self, why));
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ergo-etcd-registrar-" + self);
            t.setDaemon(true);
            return t;
        });
        try {
            client = buildClient();
            if (!hidden) {
                boolean created = retrying(() -> {
                    leaseId = grant();
                    registeredAtNanos = System.nanoTime();
                    // a create whose answer timed out may have committed: the retry must know its own key
                    return claimNodeKey(leaseId);
                });
                if (!created) {
                    throw new NameTakenException(
                            self, "another live node holds it in etcd cluster '" + options.cluster() + "'");
                }
                startKeepAlive(leaseId);
            }
            eventToken = node.registerEvent(EVENT, EventOptions.defaults());
            sync(false);
            if (!hidden) {
                node.addApplicationListener(this::applicationChanged);
                for (ApplicationInfo app : node.applications()) {
                    applicationChanged(app, ApplicationChange.LOADED);
                }
            }
            connected = true;
            LOG.info("node {} registered with etcd {} in cluster '{}'", self, options.endpoints(), options.cluster());
        } catch (ErgoException e) {
            terminate();
            throw e;
        } catch (Exception e) {
            terminate();
            throw new ErgoException(
                    "cannot register " + self + " with etcd at " + options.endpoints() + ": " + describe(e), e);
        }
    }

    private Client buildClient() throws Exception {
        ClientBuilder b = Client.builder()
                .endpoints(options.endpoints().toArray(new String[0]))
                .retryDelay(options.backoffMin().toMillis())
                .retryMaxDelay(Math.max(
                        options.backoffMax().toMillis(), options.backoffMin().toMillis() + 1));
        if (options.user() != null) {
            b.user(bytes(options.user())).password(bytes(options.password()));
        }
        if (options.trustedCertificates() != null) {
            b.sslContext(ssl -> ssl.trustManager(options.trustedCertificates().toFile()));
        }
        return b.build();
    }

    /** A new lease of {@code leaseTtl}, remembered as this registrar's own. */
    private long grant() throws Exception {
        long id = await(client.getLeaseClient().grant(options.leaseTtl().toSeconds()))
                .getID();
        synchronized (ownLeases) {
            ownLeases.add(id);
            if (ownLeases.size() > 16) {
                ownLeases.remove(ownLeases.iterator().next());
            }
        }
        return id;
    }

    private boolean ownLease(long lease) {
        synchronized (ownLeases) {
            return ownLeases.contains(lease);
        }
    }

    /**
     * Makes this node's key hold its route under {@code lease}: creates it if absent, or takes it over if it is held
     * under a lease this registrar granted (an older one, or a create whose answer was lost); false when another node
     * holds the name.
     */
    private boolean claimNodeKey(long lease) throws Exception {
        ByteSequence key = bytes(keys.node(self));
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createNodeKey(lease)) {
                return true;
            }
            GetResponse held = await(client.getKVClient().get(key));
            if (held.getKvs().isEmpty()) {
                continue; // gone between the two: create it again
            }
            KeyValue kv = held.getKvs().get(0);
            if (!ownLease(kv.getLease())) {
                return false;
            }
            if (kv.getLease() == lease && string(kv.getValue()).equals(routeValue)) {
                return true;
            }
            // only if nobody changed it since we read it: a compare-and-swap, never a blind overwrite
            boolean swapped = await(client.getKVClient()
                            .txn()
                            .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(kv.getModRevision())))
                            .Then(Op.put(
                                    key,
                                    bytes(routeValue),
                                    PutOption.builder().withLeaseId(lease).build()))
                            .commit())
                    .isSucceeded();
            if (swapped) {
                return true;
            }
        }
        return false;
    }

    /** Puts this node's route under {@code lease} if no other node holds the name; false when one does. */
    private boolean createNodeKey(long lease) throws Exception {
        ByteSequence key = bytes(keys.node(self));
        return await(client.getKVClient()
                        .txn()
                        .If(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.version(0)))
                        .Then(Op.put(
                                key,
                                bytes(routeValue),
                                PutOption.builder().withLeaseId(lease).build()))
                        .commit())
                .isSucceeded();
    }

    /** (Re)starts keeping {@code lease} alive; a stream replaced or closed by us reports nothing. */
    private void startKeepAlive(long lease) {
        CloseableClient old = keepAlive;
        long generation = ++keepAliveGeneration;
        if (old != null) {
            old.close();
        }
        keepAlive = client.getLeaseClient().keepAlive(lease, new StreamObserver<>() {
            @Override
            public void onNext(LeaseKeepAliveResponse value) {}

            @Override
            public void onError(Throwable t) {
                leaseLost(generation, describe(t));
            }

            @Override
            public void onCompleted() {
                // what jetcd does when the lease's deadline passed without a successful keep-alive
                leaseLost(generation, "the lease expired");
            }
        });
    }

    private void leaseLost(long generation, String why) {
        if (terminated || generation != keepAliveGeneration) {
            return;
        }
        LOG.warn("node {}: etcd lease lost ({}); registering again", self, why);
        recover(why);
    }

    // ------------------------------------------------------------------ the mirror

    /** Reads both prefixes, replaces the mirror, and watches each from its read's revision + 1. */
    private void sync(boolean report) throws Exception {
        GetOption prefix = GetOption.builder().isPrefix(true).build();
        GetResponse cluster = await(client.getKVClient().get(bytes(keys.clusterPrefix), prefix));
        GetResponse global = await(client.getKVClient().get(bytes(EtcdKeys.GLOBAL_CONFIG), prefix));
        Map<String, String> snapshot = new LinkedHashMap<>();
        for (GetResponse r : List.of(cluster, global)) {
            for (KeyValue kv : r.getKvs()) {
                snapshot.put(string(kv.getKey()), string(kv.getValue()));
            }
        }
        // jetcd calls our watch callbacks holding a lock of its own, and those take ours: never call into jetcd
        // (closing or opening a watch) while holding ours, or the two threads wait for each other for good
        List<RegistrarEvent> changes;
        List<Watch.Watcher> old;
        long generation;
        synchronized (lock) {
            old = new ArrayList<>(watchers);
            watchers.clear();
            generation = ++watchGeneration;
            changes = view.replace(snapshot);
        }
        old.forEach(Watch.Watcher::close);
        List<Watch.Watcher> fresh = List.of(
                watch(keys.clusterPrefix, cluster.getHeader().getRevision() + 1, generation),
                watch(EtcdKeys.GLOBAL_CONFIG, global.getHeader().getRevision() + 1, generation));
        boolean current;
        synchronized (lock) {
            current = !terminated && generation == watchGeneration;
            if (current) {
                watchers.addAll(fresh);
            }
        }
        if (!current) {
            fresh.forEach(Watch.Watcher::close);
        }
        if (report) {
            changes.forEach(this::publish);
        }
    }

    /** A watch from {@code fromRevision}; what a watch replaced since still reports is ignored. */
    private Watch.Watcher watch(String prefix, long fromRevision, long generation) {
        WatchOption option =
                WatchOption.builder().isPrefix(true).withRevision(fromRevision).build();
        return client.getWatchClient()
                .watch(
                        bytes(prefix),
                        option,
                        r -> onWatch(generation, r),
                        t -> {
                            if (generation == watchGeneration) {
                                onWatchError(t);
                            }
                        },
                        () -> {
                            if (generation == watchGeneration) {
                                onWatchEnd();
                            }
                        });
    }

    private void onWatch(long generation, WatchResponse response) {
        List<RegistrarEvent> changes = new ArrayList<>();
        boolean ownDiffers = false;
        synchronized (lock) {
            if (terminated || generation != watchGeneration) {
                return;
            }
            for (WatchEvent e : response.getEvents()) {
                String key = string(e.getKeyValue().getKey());
                String value = e.getEventType() == WatchEvent.EventType.PUT
                        ? string(e.getKeyValue().getValue())
                        : null;
                changes.addAll(view.apply(key, value));
                // someone deleted or changed one of our keys, or an older put of ours landed late: put it right,
                // now, or once the puts of ours under way are answered (one of them may be what this follows)
                if (view.isOwn(key) && !Objects.equals(value, wanted(key))) {
                    if (pending.containsKey(key)) {
                        recheck.add(key);
                    } else {
                        ownDiffers = true;
                    }
                }
            }
        }
        changes.forEach(this::publish);
        if (ownDiffers) {
            requestReconcile();
        }
    }

    /** What this node wants {@code key} (one of its own) to hold in etcd; null for "absent". */
    private @Nullable String wanted(String key) {
        return hidden ? null : key.equals(keys.node(self)) ? routeValue : published.get(key);
    }

    private void onWatchError(Throwable t) {
        if (!terminated) {
            LOG.warn("node {}: etcd watch failed ({}); reading the cluster again", self, describe(t));
            recover(describe(t));
        }
    }

    private void onWatchEnd() {
        if (!terminated) {
            recover("the watch ended");
        }
    }

    // ------------------------------------------------------------------ outages

    /** Starts recovering, once however many failures report it: disconnected now, connected when all is back. */
    private void recover(String why) {
        synchronized (lock) {
            if (terminated || recovering) {
                return;
            }
            recovering = true;
        }
        if (connected) {
            connected = false;
            publish(new RegistrarEvent.Disconnected(info().description(), why));
        }
        executor.execute(this::tryRecover);
    }

    private void tryRecover() {
        if (terminated) {
            return;
        }
        try {
            ensureRegistered();
            sync(true);
            reconcile(); // what failed or was lost meanwhile, while the lease lived (H4 of the security review)
            synchronized (lock) {
                recovering = false;
                attempt = 0;
            }
            if (nameTaken != null) {
                LOG.info("node {}: its name is its own in etcd again", self);
                nameTaken = null;
            }
            connected = true;
            LOG.info("node {}: etcd is back; mirror re-synchronised", self);
            publish(new RegistrarEvent.Connected(info().description()));
        } catch (Exception e) {
            long delay = Math.min(
                    options.backoffMax().toMillis(), options.backoffMin().toMillis() << Math.min(attempt++, 16));
            if (e instanceof NameTakenWhileAway taken) {
                if (nameTaken == null) {
                    // once per episode: the operator must act (stop the other node, or this one)
                    nameTaken = taken.getMessage();
                    LOG.warn(
                            "node {}: {}; the cluster cannot reach this node through etcd; trying again every {} ms"
                                    + " or so until the name is free",
                            self,
                            taken.getMessage(),
                            options.backoffMax().toMillis());
                    publish(new RegistrarEvent.Disconnected(info().description(), taken.getMessage()));
                } else {
                    LOG.debug("node {}: its name is still taken in etcd; again in {} ms", self, delay);
                }
            } else {
                LOG.debug("node {}: etcd still unavailable ({}); again in {} ms", self, describe(e), delay);
            }
            executor.schedule(
                    this::tryRecover,
                    delay + ThreadLocalRandom.current().nextLong(delay / 4 + 1),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Keeps the lease if it still lives; otherwise a new lease, the node's key and its applications again. */
    private void ensureRegistered() throws Exception {
        if (hidden) {
            return; // nothing of ours in etcd to restore: the mirror is re-synchronised after this
        }
        long lease = leaseId;
        long ttl = await(client.getLeaseClient().timeToLive(lease, io.etcd.jetcd.options.LeaseOption.DEFAULT))
                .getTTL();
        if (ttl > 0) {
            startKeepAlive(lease); // the lease lived through it; its keep-alive stream may not have
            return;
        }
        long fresh = grant();
        // the key outlived our lease only if it is ours under an old one: take it over; anyone else's is theirs
        if (!claimNodeKey(fresh)) {
            throw new NameTakenWhileAway(self, options.cluster());
        }
        leaseId = fresh;
        for (Map.Entry<String, String> e : published.entrySet()) {
            await(client.getKVClient()
                    .put(
                            bytes(e.getKey()),
                            bytes(e.getValue()),
                            PutOption.builder().withLeaseId(fresh).build()));
        }
        startKeepAlive(fresh);
        LOG.info("node {}: registered again with etcd under a new lease", self);
    }

    /** Another live node holds this node's name in etcd. */
    private static final class NameTakenWhileAway extends Exception {
        NameTakenWhileAway(String self, String cluster) {
            super("node name " + self + " was taken in etcd cluster '" + cluster + "' by another node while this"
                    + " node was away");
        }
    }

    /**
     * Queues one {@link #reconcile} on the executor, unless one is queued. Queued even during a recovery: a change the
     * watch shows after the recovery's own reconcile read the mirror is put right by this one, which runs after it
     * (both run on the executor, and a recovery ends there).
     */
    private void requestReconcile() {
        if (hidden || terminated || !reconcileQueued.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            reconcileQueued.set(false);
            if (terminated || recovering) {
                return; // a recovery's next attempt is queued behind this, and it reconciles at its end
            }
            try {
                reconcile();
            } catch (NameTakenWhileAway e) {
                recover(e.getMessage()); // the recovery tells it, once
            } catch (Exception e) {
                LOG.warn("node {}: cannot put its own keys right in etcd: {}", self, describe(e));
                recover(describe(e));
            }
        });
    }

    /**
     * Brings this node's own keys in etcd, as the mirror last saw them, to what the node holds: puts what differs
     * or is missing, deletes what the node no longer has. Runs on the executor, after every put queued before it;
     * a put that lands late (jetcd retrying one we gave up on) shows in the watch and brings another reconcile, so
     * the latest value wins.
     */
    private void reconcile() throws Exception {
        if (hidden || terminated) {
            return;
        }
        Map<String, String> have;
        synchronized (lock) {
            have = view.own();
        }
        Map<String, String> want = new HashMap<>(published);
        String nodeKey = keys.node(self);
        long lease = leaseId;
        if (!Objects.equals(have.get(nodeKey), routeValue)) {
            LOG.info("node {}: putting its route back in etcd", self);
            if (!claimNodeKey(lease)) {
                throw new NameTakenWhileAway(self, options.cluster());
            }
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                LOG.info("node {}: putting {} back in etcd", self, e.getKey());
                await(client.getKVClient()
                        .put(
                                bytes(e.getKey()),
                                bytes(e.getValue()),
                                PutOption.builder().withLeaseId(lease).build()));
            }
        }
        for (String key : have.keySet()) {
            if (!key.equals(nodeKey) && !want.containsKey(key)) {
                LOG.info("node {}: deleting {} from etcd: the node no longer has it", self, key);
                await(client.getKVClient().delete(bytes(key)));
            }
        }
    }

    // ------------------------------------------------------------------ applications

    private void applicationChanged(ApplicationInfo info, ApplicationChange change) {
        if (terminated) {
            return;
        }
        String key = keys.application(info.name(), self);
        String value = change == ApplicationChange.UNLOADED
                ? null
                : ClusterView.formatApplication(info.weight(), info.mode(), info.state());
        if (value == null) {
            published.remove(key);
        } else {
            published.put(key, value);
        }
        // in order, off the thread that changed the application; each change with its own value, so a stop that
        // passes through "stopping" in a blink still shows it to the cluster
        queuePublish(key, value);
    }

    private void queuePublish(String key, @Nullable String value) {
        pending.merge(key, 1, Integer::sum);
        executor.execute(() -> {
            try {
                publishApplication(key, value);
            } finally {
                boolean again;
                synchronized (lock) {
                    pending.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
                    again = !pending.containsKey(key) && recheck.remove(key);
                }
                if (again) {
                    requestReconcile(); // the mirror now shows what came after our put: compare it again
                }
            }
        });
    }

    /** Puts {@code value} under {@code key} with this node's lease; null deletes the key. */
    private void publishApplication(String key, @Nullable String value) {
        if (terminated) {
            return;
        }
        try {
            if (value == null) {
                await(client.getKVClient().delete(bytes(key)));
            } else {
                await(client.getKVClient()
                        .put(
                                bytes(key),
                                bytes(value),
                                PutOption.builder().withLeaseId(leaseId).build()));
            }
        } catch (Exception e) {
            // put right when etcd is back: the recovery reconciles this node's keys with what it holds
            LOG.warn("node {}: cannot publish {} to etcd: {}", self, key, describe(e));
            recover(describe(e));
        }
    }

    // ------------------------------------------------------------------ events

    private void publish(RegistrarEvent event) {
        Node n = node;
        Ref token = eventToken;
        if (n == null || token == null || terminated) {
            return;
        }
        try {
            n.sendEvent(EVENT, token, event);
        } catch (ErgoException e) {
            LOG.debug("node {}: registrar event {} not delivered: {}", self, event, e.getMessage());
        }
    }

    // ------------------------------------------------------------------ Registrar

    @Override
    public Optional<NetworkRoute> resolve(String name) {
        synchronized (lock) {
            return view == null ? Optional.empty() : Optional.ofNullable(view.node(name));
        }
    }

    @Override
    public List<ApplicationRoute> resolveApplication(String name) {
        synchronized (lock) {
            return view == null ? List.of() : view.application(name);
        }
    }

    @Override
    public List<String> applications() {
        synchronized (lock) {
            return view == null ? List.of() : view.applicationNames();
        }
    }

    @Override
    public Map<String, String> nodeMetadata(String name) {
        synchronized (lock) {
            return view == null ? Map.of() : view.meta(name);
        }
    }

    @Override
    public Map<String, Object> configAll() {
        synchronized (lock) {
            return view == null ? Map.of() : view.configAll();
        }
    }

    /** Published under this node's lease, so it goes when the node goes; kept through re-registrations. */
    @Override
    public void setNodeMetadata(Map<String, String> metadata) {
        if (hidden) {
            return; // a hidden node publishes nothing
        }
        String value = metadata == null || metadata.isEmpty() ? null : ClusterView.formatMeta(metadata);
        synchronized (lock) {
            if (self == null) {
                throw new IllegalStateException("register the node before publishing its metadata");
            }
        }
        String key = keys.meta(self);
        if (value == null) {
            published.remove(key);
        } else {
            published.put(key, value);
        }
        queuePublish(key, value);
    }

    @Override
    public List<String> nodes() {
        synchronized (lock) {
            return view == null ? List.of() : view.nodes();
        }
    }

    @Override
    public Map<String, Object> config(String... items) {
        Map<String, Object> out = new LinkedHashMap<>();
        synchronized (lock) {
            if (view != null) {
                for (String item : items) {
                    Object v = view.config(item);
                    if (v != null) {
                        out.put(item, v);
                    }
                }
            }
        }
        return out;
    }

    @Override
    public Optional<Event> event() {
        return self == null ? Optional.empty() : Optional.of(new Event(EVENT, self));
    }

    /** Every capability: applications, events, configuration, hidden nodes and node metadata. */
    @Override
    public RegistrarInfo info() {
        String description = (hidden ? "hidden, " : "") + "etcd " + String.join(",", options.endpoints()) + ", cluster "
                + options.cluster()
                + (connected || self == null
                        ? ""
                        : nameTaken != null ? " (name taken by another node)" : " (disconnected)");
        return new RegistrarInfo(description, true, true, true, true, true);
    }

    @Override
    public void terminate() {
        List<Watch.Watcher> closing;
        synchronized (lock) {
            if (terminated) {
                return;
            }
            terminated = true;
            closing = new ArrayList<>(watchers);
            watchers.clear();
        }
        closing.forEach(Watch.Watcher::close); // outside our lock: see sync
        connected = false;
        if (executor != null) {
            executor.shutdownNow();
        }
        CloseableClient k = keepAlive;
        if (k != null) {
            keepAliveGeneration++;
            k.close();
        }
        if (client != null && !hidden) {
            try {
                // a clean stop: the node's key and its applications' go at once, not at the lease's end
                client.getLeaseClient().revoke(leaseId).get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("node {}: lease not revoked ({}); it will expire", self, describe(e));
            }
        }
        if (client != null) {
            client.close();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** A step of the registration that can meet an etcd election or a dead member first. */
    private interface Step<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code step}, again with backoff while etcd does not answer (a member down, a leader being elected), for
     * up to three request timeouts: a node that starts during an etcd failover waits it out instead of failing.
     */
    private <T> T retrying(Step<T> step) throws Exception {
        long deadline = System.nanoTime() + 3 * options.requestTimeout().toNanos();
        long delay = options.backoffMin().toMillis();
        while (true) {
            try {
                return step.run();
            } catch (ErgoException e) {
                throw e;
            } catch (Exception e) {
                if (System.nanoTime() + delay * 1_000_000 > deadline) {
                    throw e;
                }
                LOG.debug("node {}: etcd not ready ({}); again in {} ms", self, describe(e), delay);
                Thread.sleep(delay);
                delay = Math.min(options.backoffMax().toMillis(), delay * 2);
            }
        }
    }

    private <T> T await(CompletableFuture<T> f) throws Exception {
        try {
            return f.get(options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new TimeoutException(
                    "etcd did not answer within " + options.requestTimeout().toMillis() + " ms");
        }
    }

    private static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + c + ")";
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static String string(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }
}
