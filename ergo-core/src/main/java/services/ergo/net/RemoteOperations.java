package services.ergo.net;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessFactory;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.node.Core;

/**
 * What other nodes may do here: spawn the processes enabled by name, start the applications enabled by name, each
 * for the listed nodes only (any node when none is listed), and nothing when the network's options switch it off.
 * The work runs off the event loop, since a process's {@code init} or an application's start may take its time.
 */
final class RemoteOperations {
    private record Spawnable(ProcessFactory factory, Set<String> allowed) {}

    private final NetworkService service;
    private final Core core;
    private final Map<String, Spawnable> spawnables = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> startables = new ConcurrentHashMap<>();
    /** Remote spawns and application starts that run at once; more wait in a queue of {@link #MAX_QUEUED}. */
    static final int MAX_THREADS = 8;

    static final int MAX_QUEUED = 1024;
    private final ExecutorService executor;

    RemoteOperations(NetworkService service, Core core) {
        this.service = service;
        this.core = core;
        // bounded both ways: a flood of spawn frames for a slow init gets threads up to MAX_THREADS, then a queue,
        // then a refusal; never a thread per frame (L2 of the review)
        ThreadPoolExecutor pool = new ThreadPoolExecutor(
                MAX_THREADS, MAX_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                    Thread t = new Thread(r, "ergo-" + core.name() + "-remote-ops");
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        this.executor = pool;
    }

    void enableSpawn(String name, ProcessFactory factory, String... allowedNodes) {
        if (name == null || name.isEmpty() || factory == null) {
            throw new IllegalArgumentException("enableSpawn needs a name and a factory");
        }
        spawnables.put(name, new Spawnable(factory, Set.of(allowedNodes)));
    }

    void disableSpawn(String name) {
        spawnables.remove(name);
    }

    void enableApplicationStart(String name, String... allowedNodes) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("enableApplicationStart needs an application name");
        }
        startables.put(name, Set.of(allowedNodes));
    }

    void disableApplicationStart(String name) {
        startables.remove(name);
    }

    void spawn(String peer, Pid from, Ref ref, String name, String registerAs, int mailboxSize, List<?> args) {
        run(peer, from, ref, () -> {
            try {
                if (!service.options().remoteSpawn()) {
                    throw new NotAllowedException("remote spawn is switched off on " + core.name());
                }
                Spawnable s = spawnables.get(name);
                if (s == null) {
                    throw new NotAllowedException("spawn of '" + name + "' is not enabled on " + core.name());
                }
                allow(s.allowed(), peer, "spawn '" + name + "'");
                ProcessOptions options = ProcessOptions.defaults().withMailboxSize(mailboxSize);
                Pid pid = registerAs.isEmpty()
                        ? core.node().spawn(s.factory(), options, args.toArray())
                        : core.node().spawnRegister(registerAs, s.factory(), options, args.toArray());
                service.respond(peer, core.corePid(), from, ref, pid, null);
            } catch (ErgoException e) {
                service.respond(peer, core.corePid(), from, ref, null, e);
            } catch (RuntimeException e) {
                service.respond(peer, core.corePid(), from, ref, null, new ErgoException(e.toString()));
            }
        });
    }

    void applicationStart(String peer, Pid from, Ref ref, String name, ApplicationMode mode) {
        run(peer, from, ref, () -> {
            try {
                checkApplicationStart(peer, name);
                core.node().applicationStart(name, ApplicationOptions.defaults().withMode(mode));
                service.respond(peer, core.corePid(), from, ref, Boolean.TRUE, null);
            } catch (ErgoException e) {
                service.respond(peer, core.corePid(), from, ref, null, e);
            } catch (RuntimeException e) {
                service.respond(peer, core.corePid(), from, ref, null, new ErgoException(e.toString()));
            }
        });
    }

    /**
     * Throws unless {@code peer} may start application {@code name} here: the network's switch, the application
     * enabled by name, the allow-list. The inspector asks this too, so its {@code application} op obeys the rules
     * of a remote start frame.
     */
    void checkApplicationStart(String peer, String name) {
        if (!service.options().remoteApplicationStart()) {
            throw new NotAllowedException("remote application start is switched off on " + core.name());
        }
        Set<String> allowed = startables.get(name);
        if (allowed == null) {
            throw new NotAllowedException(
                    "remote start of application '" + name + "' is not enabled on " + core.name());
        }
        allow(allowed, peer, "start application '" + name + "'");
    }

    /** Runs a remote operation off the event loop, or answers at once that too many are in progress. */
    private void run(String peer, Pid from, Ref ref, Runnable work) {
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            service.respond(
                    peer,
                    core.corePid(),
                    from,
                    ref,
                    null,
                    new ErgoException("too many remote spawns and application starts in progress on " + core.name()));
        }
    }

    /** The allow-lists name nodes as they proved themselves: the lane's peer, never a name a frame claims. */
    private void allow(Set<String> allowed, String peer, String what) {
        if (!allowed.isEmpty() && !allowed.contains(peer)) {
            throw new NotAllowedException("node " + peer + " may not " + what + " on " + core.name());
        }
    }

    void stop() {
        executor.shutdownNow();
    }
}
