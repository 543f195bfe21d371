package services.ergo.node;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.Alias;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NodeStoppedException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessBehavior;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;

/**
 * The node's processes: spawning, the table by pid, registered names and aliases. Lookups are one hash map read
 * keyed by what the sender already holds, so the send path allocates nothing here.
 */
final class ProcessTable {
    private final LocalNode node;
    private final ConcurrentHashMap<Pid, LocalProcess> processes = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LocalProcess> names = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Alias, LocalProcess> aliases = new ConcurrentHashMap<>();
    private final AtomicLong processSeq = new AtomicLong(1000);
    private final LongAdder spawned = new LongAdder();
    private final LongAdder terminated = new LongAdder();

    ProcessTable(LocalNode node) {
        this.node = node;
    }

    @Nullable
    LocalProcess get(Pid pid) {
        return processes.get(pid);
    }

    @Nullable
    LocalProcess byName(String name) {
        return names.get(name);
    }

    @Nullable
    LocalProcess byAlias(Alias alias) {
        return aliases.get(alias);
    }

    int size() {
        return processes.size();
    }

    boolean isEmpty() {
        return processes.isEmpty();
    }

    long spawned() {
        return spawned.sum();
    }

    long terminated() {
        return terminated.sum();
    }

    /** Every local process, unordered; for introspection and the stop. */
    List<LocalProcess> snapshot() {
        return new ArrayList<>(processes.values());
    }

    Pid spawn(
            @Nullable LocalProcess parent,
            @Nullable String registerAs,
            ProcessFactory factory,
            ProcessOptions processOptions,
            @Nullable String application,
            Object... args) {
        if (!node.isAlive() || node.isStopping()) {
            throw new NodeStoppedException(node.name);
        }
        if (factory == null) {
            throw new IllegalArgumentException("spawn needs a process factory");
        }
        ProcessOptions opts = processOptions == null ? ProcessOptions.defaults() : processOptions;
        ProcessBehavior behavior = factory.create();
        if (behavior == null) {
            throw new IllegalArgumentException("the process factory returned null");
        }
        Pid corePid = node.corePid();
        Pid parentPid = parent == null ? corePid : parent.pid;
        Pid leader = parent == null ? corePid : parent.leader;
        Pid pid = new Pid(node.name, processSeq.incrementAndGet(), node.creation);
        LocalProcess p = new LocalProcess(node, pid, behavior, parentPid, leader, application, opts);
        if (registerAs != null) {
            if (names.putIfAbsent(registerAs, p) != null) {
                throw new NameTakenException(registerAs);
            }
            p.setName(registerAs);
        }
        processes.put(pid, p);
        spawned.increment();
        Throwable failure = p.init(args == null ? new Object[0] : args);
        if (failure != null) {
            p.initFailed(Reason.error(failure));
            if (failure instanceof ErgoException ee && ee.getCause() == null) {
                throw new ErgoException("init of " + behavior.getClass().getName() + " failed: " + ee.getMessage(), ee);
            }
            throw new ErgoException("init of " + behavior.getClass().getName() + " failed: " + failure, failure);
        }
        if (opts.linkParent() && parent != null) {
            node.router.link(p, parentPid);
        }
        p.startRunning();
        return pid;
    }

    /** Called once for each process that ended, from the thread that ended it. */
    void processEnded(LocalProcess p, Reason reason) {
        processes.remove(p.pid, p);
        String n = p.name();
        if (n != null) {
            names.remove(n, p);
        }
        for (Alias a : p.aliases()) {
            aliases.remove(a, p);
        }
        terminated.increment();
        node.processEnded(p, reason);
    }

    void registerName(String registerAs, Pid pid) {
        if (registerAs == null || registerAs.isEmpty()) {
            throw new IllegalArgumentException("name must not be empty");
        }
        LocalProcess p = processes.get(pid);
        if (p == null) {
            throw new ProcessUnknownException(pid);
        }
        if (p.name() != null) {
            throw new NotAllowedException(pid + " is already registered as '" + p.name() + "'");
        }
        if (names.putIfAbsent(registerAs, p) != null) {
            throw new NameTakenException(registerAs);
        }
        p.setName(registerAs);
    }

    void unregisterName(String registered) {
        LocalProcess p = names.remove(registered);
        if (p == null) {
            throw new ProcessUnknownException(registered);
        }
        p.setName(null);
    }

    Alias createAlias(LocalProcess p) {
        Alias alias = new Alias(node.name, node.nextRefId(), node.creation);
        aliases.put(alias, p);
        return alias;
    }

    void deleteAlias(Alias alias) {
        aliases.remove(alias);
    }

    /** Up to {@code limit} processes from id {@code startId} on, in id order. */
    List<ProcessShortInfo> list(long startId, int limit) {
        List<LocalProcess> list = new ArrayList<>();
        for (LocalProcess p : processes.values()) {
            if (p.pid.id() >= startId) {
                list.add(p);
            }
        }
        list.sort(Comparator.comparingLong(p -> p.pid.id()));
        List<ProcessShortInfo> out = new ArrayList<>(Math.min(limit, list.size()));
        for (int i = 0; i < list.size() && out.size() < limit; i++) {
            out.add(list.get(i).shortInfo());
        }
        return out;
    }
}
