package services.ergo.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Ref;

/**
 * Links and monitors of one process, made lazily (most processes have none) and guarded by its own lock. Once
 * {@link #close()}d, as the process ends, nothing can be added: a link or monitor that races with the end fails
 * instead of being forgotten.
 */
final class Relations {
    /**
     * Linked process → the form the link was made with (a Pid or a ProcessId), for the exit message. The key is the
     * linked pid, or for a link made by name to a process on another node (whose pid this node never learns) the
     * {@link ProcessId} itself.
     */
    private final Map<Object, Object> links = new LinkedHashMap<>();
    /** Nodes this process monitors as a whole → the monitor's ref. */
    private @Nullable Map<String, Ref> nodeMonitors;
    /** Monitors on this process: ref → who monitors and with what form of target. */
    private final Map<Ref, Monitor> monitoredBy = new LinkedHashMap<>();
    /** Monitors this process holds: target form → its ref and the pid it resolved to. */
    private final Map<Object, Held> monitors = new LinkedHashMap<>();

    private boolean closed;

    record Monitor(Pid owner, Object target) {}

    /** A monitor this process holds: its ref, and the pid behind it (null when made by name on another node). */
    record Held(Ref ref, @Nullable Pid pid) {}

    record Snapshot(Map<Object, Object> links, Map<Ref, Monitor> monitoredBy, Map<Object, Held> monitors) {}

    synchronized boolean addLink(Object other, Object form) {
        if (closed) {
            return false;
        }
        links.putIfAbsent(other, form);
        return true;
    }

    synchronized @Nullable Object removeLink(Object other) {
        return links.remove(other);
    }

    synchronized @Nullable Object linkForm(Pid other) {
        return links.get(other);
    }

    synchronized boolean addMonitoredBy(Ref ref, Pid owner, Object target) {
        if (closed) {
            return false;
        }
        monitoredBy.put(ref, new Monitor(owner, target));
        return true;
    }

    synchronized void removeMonitoredBy(Ref ref) {
        monitoredBy.remove(ref);
    }

    /** Drops monitor {@code ref} only when a process of {@code ownerNode} holds it. */
    synchronized void removeMonitoredBy(Ref ref, String ownerNode) {
        Monitor m = monitoredBy.get(ref);
        if (m != null && m.owner().node().equals(ownerNode)) {
            monitoredBy.remove(ref);
        }
    }

    /** Whether a link is held with any process of {@code node}. */
    synchronized boolean hasLinkOn(String node) {
        for (Object other : links.keySet()) {
            if (node.equals(nodeOf(other))) {
                return true;
            }
        }
        return false;
    }

    /** The node of the process a monitor with {@code ref} is held on; null when none is held. */
    synchronized @Nullable String heldNodeByRef(Ref ref) {
        for (var e : monitors.entrySet()) {
            if (e.getValue().ref().equals(ref)) {
                return nodeOf(e.getKey());
            }
        }
        return null;
    }

    synchronized @Nullable Held heldMonitor(Object target) {
        return monitors.get(target);
    }

    synchronized void addHeld(Object target, Held held) {
        monitors.put(target, held);
    }

    synchronized @Nullable Held removeHeld(Object target) {
        return monitors.remove(target);
    }

    /** Removes the held monitor with {@code ref} and returns the form it was made with, or null. */
    synchronized @Nullable Object removeHeldByRef(Ref ref) {
        for (var it = monitors.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (e.getValue().ref().equals(ref)) {
                it.remove();
                return e.getKey();
            }
        }
        return null;
    }

    synchronized boolean addNodeMonitor(String node, Ref ref) {
        if (closed) {
            return false;
        }
        if (nodeMonitors == null) {
            nodeMonitors = new LinkedHashMap<>();
        }
        nodeMonitors.putIfAbsent(node, ref);
        return true;
    }

    synchronized @Nullable Ref nodeMonitor(String node) {
        return nodeMonitors == null ? null : nodeMonitors.get(node);
    }

    synchronized @Nullable Ref removeNodeMonitor(String node) {
        return nodeMonitors == null ? null : nodeMonitors.remove(node);
    }

    /** The node of a Pid or a ProcessId; null for any other form. */
    static @Nullable String nodeOf(Object form) {
        return form instanceof Pid p ? p.node() : form instanceof ProcessId id ? id.node() : null;
    }

    /** Removes and returns the links to processes on {@code node} (pids, or process ids for links by name). */
    synchronized List<Object> removeLinksOn(String node) {
        List<Object> out = new ArrayList<>();
        links.keySet().removeIf(p -> {
            if (node.equals(nodeOf(p))) {
                out.add(p);
                return true;
            }
            return false;
        });
        return out;
    }

    /** Removes and returns the monitors held on processes on {@code node}: form → held. */
    synchronized Map<Object, Held> removeHeldOn(String node) {
        Map<Object, Held> out = new LinkedHashMap<>();
        monitors.entrySet().removeIf(e -> {
            if (node.equals(nodeOf(e.getKey()))) {
                out.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        return out;
    }

    synchronized void removeMonitoredByOn(String node) {
        monitoredBy.values().removeIf(m -> m.owner().node().equals(node));
    }

    /** Seals the relations and hands back what was there, for the exit and down notifications. */
    synchronized Snapshot close() {
        closed = true;
        Snapshot s = new Snapshot(
                new LinkedHashMap<>(links), new LinkedHashMap<>(monitoredBy), new LinkedHashMap<>(monitors));
        links.clear();
        monitoredBy.clear();
        monitors.clear();
        nodeMonitors = null;
        return s;
    }

    synchronized List<Object> linkList() {
        List<Object> out = new ArrayList<>();
        links.forEach((pid, form) -> out.add(form));
        return out;
    }

    synchronized List<Object> monitorList() {
        return new ArrayList<>(monitors.keySet());
    }

    synchronized List<Object> monitoredByList() {
        List<Object> out = new ArrayList<>();
        monitoredBy.values().forEach(m -> out.add(m.owner()));
        return out;
    }
}
