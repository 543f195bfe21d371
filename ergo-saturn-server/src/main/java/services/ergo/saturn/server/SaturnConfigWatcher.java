package services.ergo.saturn.server;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a reload when {@code saturn.yaml}, or a file it reads, changes. It watches the directories, not the files:
 * an editor that writes a new file and renames it over the old one, and a Kubernetes ConfigMap whose
 * {@code ..data} symlink is swapped, change the directory without ever modifying the file that was watched. Events
 * that come in a burst (a save is often several) make one reload, once the directory has been quiet for
 * {@link #DEBOUNCE}; a reload that finds the same configuration pushes nothing, so a touch costs a parse.
 */
final class SaturnConfigWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SaturnConfigWatcher.class);

    /** How long the directories must stay quiet after an event before the reload. */
    static final Duration DEBOUNCE = Duration.ofMillis(100);
    /** A directory that never stays quiet (a log file beside the config) still gets its reload this often. */
    static final Duration MAX_DELAY = Duration.ofSeconds(2);

    private final WatchService service;
    private final Runnable reload;
    /** The names that matter in each watched directory. */
    private final Map<Path, Set<String>> watched = new ConcurrentHashMap<>();

    private final Thread thread;

    SaturnConfigWatcher(Path file, Runnable reload) {
        this.reload = reload;
        try {
            this.service = file.toAbsolutePath().getFileSystem().newWatchService();
        } catch (IOException e) {
            throw new IllegalArgumentException("saturn: cannot watch " + file + ": " + e, e);
        }
        watchFile(file.toAbsolutePath().normalize());
        this.thread = new Thread(this::run, "saturn-config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Watches these files too (a reload found new {@code .file} items or token files). */
    void watch(Set<Path> files) {
        files.forEach(this::watchFile);
    }

    private void watchFile(Path file) {
        Path dir = file.getParent();
        if (dir == null) {
            return;
        }
        watched.computeIfAbsent(dir, d -> {
                    try {
                        d.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE);
                    } catch (IOException | ClosedWatchServiceException e) {
                        LOG.warn("saturn: cannot watch {} ({}); reload() still reads it", d, e.toString());
                    }
                    return ConcurrentHashMap.newKeySet();
                })
                .add(file.getFileName().toString());
    }

    private void run() {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean relevant = drain(key);
                // the burst of a save: wait until quiet, then reload once
                long until = System.nanoTime() + MAX_DELAY.toNanos();
                WatchKey more;
                while (System.nanoTime() < until
                        && (more = service.poll(DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
                    relevant |= drain(more);
                }
                if (relevant) {
                    try {
                        reload.run();
                    } catch (RuntimeException e) {
                        LOG.warn("saturn: reload failed: {}", e.toString());
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed with the server
        }
    }

    /** Takes a key's events; true when one is about a file that matters. */
    private boolean drain(WatchKey key) {
        Set<String> names = watched.getOrDefault((Path) key.watchable(), Set.of());
        boolean relevant = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                relevant = true;
                continue;
            }
            String name = event.context().toString();
            // "..data" and its timestamped siblings: a ConfigMap's atomic swap
            relevant |= names.contains(name) || name.startsWith("..");
        }
        key.reset();
        return relevant;
    }

    @Override
    public void close() {
        try {
            service.close();
        } catch (IOException e) {
            LOG.debug("saturn: closing the config watcher: {}", e.toString());
        }
        thread.interrupt();
    }
}
