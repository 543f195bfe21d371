package services.ergo.saturn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.protocol.Change;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.ConfigEntry;
import services.ergo.saturn.protocol.NodeEntry;

/**
 * One cluster: its entries by name, the session that owns each name, its revision, and a bounded history of its
 * recent changes, each encoded once. Every method takes the cluster's lock briefly; nothing here writes to a
 * socket (sessions do that on their own event loops, see {@link Session#wake()}).
 */
final class ClusterState {
    final String name;
    /**
     * Tells this cluster's revisions from another's of the same name: the server's run for the clusters it started
     * with, a fresh one for a cluster a reload added (a cluster removed and added again starts from revision 0).
     */
    final long epoch;

    private final int historySize;
    private final SaturnCounters counters;

    private final TreeMap<String, NodeEntry> entries = new TreeMap<>();
    private final Map<String, Session> owners = new HashMap<>();
    /** Every registered session, hidden ones too: the clients a change is pushed to. */
    final Set<Session> sessions = ConcurrentHashMap.newKeySet();

    /** Configuration by scope and item ({@code scope + '\0' + item}), in order. */
    private final TreeMap<String, ConfigEntry> config = new TreeMap<>();

    private long revision;
    /** Closed with the server, or removed from its file: nothing more is encoded, its history is released. */
    private boolean closed;

    private final ArrayDeque<Item> history = new ArrayDeque<>();

    private record Item(long revision, ByteBuf bytes) {}

    /** Changes after a revision, ready to send: their shared bytes (retained for the caller) and where they end. */
    record Batch(long from, long to, List<ByteBuf> changes, int bytes) {}

    /** A whole delta frame after a revision, retained for the caller ({@code frame} null: nothing to send). */
    record Delta(long to, @Nullable ByteBuf frame) {}

    /**
     * The delta frames of the current revision, by the revision they start after: the clients of a cluster are
     * nearly all at the same revision when a change comes, so the frame is built once and every session writes a
     * duplicate of it. Released when the next change makes them stale.
     */
    private final Map<Long, Delta> frames = new HashMap<>();

    ClusterState(String name, long epoch, int historySize, SaturnCounters counters) {
        this.name = name;
        this.epoch = epoch;
        this.historySize = historySize;
        this.counters = counters;
    }

    synchronized long revision() {
        return revision;
    }

    synchronized List<NodeEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The outcome of a registration: who was replaced (a reclaim), or why it was refused. */
    record Claim(@Nullable Session replaced, @Nullable String refusal) {}

    /**
     * Gives {@code name} to {@code session}: refused when another live session with another incarnation holds
     * it; taken over (the old session returned, to be closed) when the same node comes back on a new connection.
     */
    synchronized Claim claim(Session session, String name, byte[] incarnation, NodeEntry entry) {
        Session owner = owners.get(name);
        if (owner != null && owner != session && !Arrays.equals(owner.incarnation, incarnation)) {
            return new Claim(null, "node name '" + name + "' is taken in cluster '" + this.name + "'");
        }
        owners.put(name, session);
        set(entry);
        return new Claim(owner == session ? null : owner, null);
    }

    /** Replaces {@code entry} if {@code session} owns its name; false when it does not (any more). */
    synchronized boolean update(Session session, NodeEntry entry) {
        if (owners.get(entry.name()) != session) {
            return false;
        }
        set(entry);
        return true;
    }

    /** Removes {@code name} if {@code session} still owns it (a reclaimed session's close removes nothing). */
    synchronized boolean release(Session session, String name) {
        if (owners.get(name) != session) {
            return false;
        }
        owners.remove(name);
        if (entries.remove(name) != null) {
            record(new Change.Remove(++revision, name));
        }
        return true;
    }

    private void set(NodeEntry entry) {
        NodeEntry before = entries.put(entry.name(), entry);
        if (!entry.equals(before)) {
            record(new Change.Set(++revision, entry));
        }
    }

    private void record(Change change) {
        if (closed) {
            return; // the sessions that remain are being closed and read nothing more
        }
        releaseFrames();
        history.addLast(new Item(change.revision(), Codec.encodeChange(change, ByteBufAllocator.DEFAULT)));
        counters.changesEncoded.incrementAndGet();
        while (history.size() > historySize) {
            history.removeFirst().bytes.release();
        }
    }

    private void releaseFrames() {
        frames.values().forEach(d -> d.frame().release());
        frames.clear();
    }

    /**
     * The delta frame of every change after {@code from}, up to {@code maxBytes} of changes (at least one),
     * retained for the caller, who writes it; a frame without bytes when there is nothing after {@code from}; null
     * when the history no longer reaches back to {@code from}. What {@link #after} gives, framed once for all the
     * sessions that ask with the same {@code from} before the next change.
     */
    synchronized @Nullable Delta delta(long from, int maxBytes) {
        if (from >= revision || closed) {
            return new Delta(from, null);
        }
        Delta d = frames.get(from);
        if (d == null) {
            Batch batch = after(from, maxBytes);
            if (batch == null) {
                return null;
            }
            // one buffer, not a composite of the shared changes: TLS takes it as is, without gathering it first
            ByteBuf header = Codec.deltaHeader(
                    ByteBufAllocator.DEFAULT,
                    batch.from(),
                    batch.to(),
                    batch.changes().size(),
                    batch.bytes());
            ByteBuf frame = ByteBufAllocator.DEFAULT.directBuffer(header.readableBytes() + batch.bytes());
            frame.writeBytes(header);
            header.release();
            for (ByteBuf change : batch.changes()) {
                frame.writeBytes(change);
                change.release();
            }
            d = new Delta(batch.to(), frame);
            frames.put(from, d);
            counters.deltaFramesBuilt.incrementAndGet();
        }
        return new Delta(d.to(), d.frame().retainedDuplicate());
    }

    /** Sets ({@code value} non-null) or removes a configuration item; a change only when it changes something. */
    synchronized boolean config(String scope, String item, @Nullable String value) {
        String key = scope + '\0' + item;
        ConfigEntry before = value == null ? config.remove(key) : config.put(key, new ConfigEntry(scope, item, value));
        if (before == null ? value == null : before.value().equals(value)) {
            return false;
        }
        record(new Change.Config(++revision, scope, item, value));
        return true;
    }

    synchronized List<ConfigEntry> config() {
        return List.copyOf(config.values());
    }

    /** Whether every change after {@code from} is still in the history (so a client at {@code from} resumes). */
    synchronized boolean reaches(long from) {
        if (from < 0 || from > revision) {
            return false;
        }
        return from == revision || (!history.isEmpty() && history.peekFirst().revision <= from + 1);
    }

    /**
     * The changes after {@code from}, at most {@code maxBytes} of them (at least one), retained for the caller;
     * an empty batch when there are none, null when the history no longer reaches back to {@code from}.
     */
    synchronized @Nullable Batch after(long from, int maxBytes) {
        if (from >= revision || closed) {
            return new Batch(from, from, List.of(), 0);
        }
        if (!reaches(from)) {
            return null;
        }
        List<ByteBuf> out = new ArrayList<>();
        int bytes = 0;
        long to = from;
        // the history is short relative to a client's lag only when it is behind: walking it from the end keeps a
        // round of an up-to-date client at the cost of its few new changes
        var it = history.descendingIterator();
        ArrayDeque<Item> tail = new ArrayDeque<>();
        while (it.hasNext()) {
            Item item = it.next();
            if (item.revision <= from) {
                break;
            }
            tail.addFirst(item);
        }
        for (Item item : tail) {
            int size = item.bytes.readableBytes();
            if (!out.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            out.add(item.bytes.retainedDuplicate());
            bytes += size;
            to = item.revision;
        }
        return new Batch(from, to, out, bytes);
    }

    /** A page of entries after {@code afterName} (null: from the start), in name order. */
    record Page(List<NodeEntry> entries, boolean last) {}

    synchronized Page page(@Nullable String afterName, int maxEntries, int maxBytes) {
        Map<String, NodeEntry> rest = afterName == null ? entries : entries.tailMap(afterName, false);
        List<NodeEntry> out = new ArrayList<>(Math.min(maxEntries, rest.size()));
        int bytes = 0;
        for (NodeEntry e : rest.values()) {
            int size = Codec.entrySize(e);
            if (out.size() == maxEntries || (!out.isEmpty() && bytes + size > maxBytes)) {
                return new Page(out, false);
            }
            out.add(e);
            bytes += size;
        }
        return new Page(out, true);
    }

    synchronized boolean closed() {
        return closed;
    }

    synchronized void close() {
        closed = true;
        releaseFrames();
        history.forEach(i -> i.bytes.release());
        history.clear();
    }
}
