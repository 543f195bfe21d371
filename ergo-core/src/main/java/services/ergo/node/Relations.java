package services.ergo.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import services.ergo.gen.Pid;
import services.ergo.gen.Ref;

/**
 * Links and monitors of one process, made lazily (most processes have none) and guarded by its own lock. Once
 * {@link #close()}d, as the process ends, nothing can be added: a link or monitor that races with the end fails
 * instead of being forgotten.
 */
final class Relations {
    /** Linked process → the form the link was made with (a Pid or a ProcessId), for the exit message. */
    private final Map<Pid, Object> links = new LinkedHashMap<>();
    /** Monitors on this process: ref → who monitors and with what form of target. */
    private final Map<Ref, Monitor> monitoredBy = new LinkedHashMap<>();
    /** Monitors this process holds: target form → its ref and the pid it resolved to. */
    private final Map<Object, Held> monitors = new LinkedHashMap<>();

    private boolean closed;

    record Monitor(Pid owner, Object target) {}

    record Held(Ref ref, Pid pid) {}

    record Snapshot(Map<Pid, Object> links, Map<Ref, Monitor> monitoredBy, Map<Object, Held> monitors) {}

    synchronized boolean addLink(Pid other, Object form) {
        if (closed) {
            return false;
        }
        links.putIfAbsent(other, form);
        return true;
    }

    synchronized Object removeLink(Pid other) {
        return links.remove(other);
    }

    synchronized Object linkForm(Pid other) {
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

    synchronized Held heldMonitor(Object target) {
        return monitors.get(target);
    }

    synchronized void addHeld(Object target, Held held) {
        monitors.put(target, held);
    }

    synchronized Held removeHeld(Object target) {
        return monitors.remove(target);
    }

    synchronized boolean removeHeldByRef(Ref ref) {
        return monitors.values().removeIf(h -> h.ref().equals(ref));
    }

    /** Removes and returns the links to processes on {@code node}: they broke with the connection. */
    synchronized List<Pid> removeLinksOn(String node) {
        List<Pid> out = new ArrayList<>();
        links.keySet().removeIf(p -> {
            if (p.node().equals(node)) {
                out.add(p);
                return true;
            }
            return false;
        });
        return out;
    }

    synchronized List<Held> removeHeldOn(String node) {
        List<Held> out = new ArrayList<>();
        monitors.values().removeIf(h -> {
            if (h.pid().node().equals(node)) {
                out.add(h);
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
