package services.ergo.saturn.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.PeerRecord;
import services.ergo.saturn.protocol.Stamp;

class OriginLogTest {
    private static final Stamp T = Stamp.of(1, 0, "saturn1");

    private final AtomicLong clock = new AtomicLong(1_000);
    private final OriginLog log = new OriginLog(42, clock::get);

    @Test
    void appendAssignsDenseSeqsAndKeepsTheLatestPerKey() {
        PeerRecord a1 = log.append(live("a", 1));
        PeerRecord b = log.append(live("b", 1));
        PeerRecord a2 = log.append(live("a", 2));
        assertThat(List.of(a1.seq(), b.seq(), a2.seq())).containsExactly(1L, 2L, 3L);
        assertThat(log.seq()).isEqualTo(3);
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.get(OriginLog.keyOf(a1))).isSameAs(a2);
        assertThat(log.origin()).isEqualTo(42);
    }

    @Test
    void afterListsTheRecordsAboveASeqInSeqOrderSkippingSuperseded() {
        log.append(live("a", 1)); // 1, superseded by 4
        log.append(live("b", 1)); // 2
        log.append(config("x", "1")); // 3
        log.append(live("a", 2)); // 4
        assertThat(seqs(log.after(0))).containsExactly(2L, 3L, 4L);
        assertThat(seqs(log.after(2))).containsExactly(3L, 4L);
        assertThat(seqs(log.after(4))).isEmpty();
    }

    @Test
    void tombstonesAreDroppedAfterRetentionAndRaiseTheFloor() {
        log.append(live("a", 1)); // 1
        log.append(dead("b", 1)); // 2
        clock.set(5_000);
        log.append(config("x", null)); // 3, a removed config item is a tombstone too
        log.append(live("c", 1)); // 4
        assertThat(log.tombstones()).isEqualTo(2);

        assertThat(log.dropTombstones(5_000, Duration.ofMillis(4_001))).isZero();
        assertThat(log.dropTombstones(5_000, Duration.ofMillis(4_000))).isEqualTo(1);
        assertThat(log.floor()).isEqualTo(2);
        assertThat(log.after(1)).isNull();
        assertThat(seqs(log.after(2))).containsExactly(3L, 4L);
        assertThat(log.hash()).isEqualTo(recomputed(log));

        assertThat(log.dropTombstones(10_000, Duration.ofMillis(1_000))).isEqualTo(1);
        assertThat(log.floor()).isEqualTo(3);
        assertThat(log.tombstones()).isZero();
        assertThat(log.size()).isEqualTo(2);
        assertThat(log.hash()).isEqualTo(recomputed(log));
    }

    @Test
    void aTombstoneSupersededByALiveRecordIsNotDropped() {
        log.append(dead("a", 1));
        log.append(live("a", 2));
        assertThat(log.dropTombstones(1_000_000, Duration.ZERO)).isZero();
        assertThat(log.floor()).isZero();
        assertThat(log.size()).isEqualTo(1);
    }

    @Test
    void applyKeepsOnlyNewerRecordsAndNeverBringsBackADroppedTombstone() {
        OriginLog replica = new OriginLog(42, clock::get);
        PeerRecord.Node older = withSeq(live("a", 1), 3);
        PeerRecord.Node newer = withSeq(live("a", 2), 5);
        assertThat(replica.apply(newer)).isTrue();
        assertThat(replica.apply(older)).isFalse();
        assertThat(replica.apply(newer)).isFalse();
        assertThat(replica.seq()).isEqualTo(5);

        PeerRecord.Node tomb = withSeq(dead("b", 1), 7);
        assertThat(replica.apply(tomb)).isTrue();
        replica.dropTombstones(clock.get(), Duration.ZERO);
        assertThat(replica.floor()).isEqualTo(7);
        assertThat(replica.apply(tomb)).isFalse();
        assertThat(replica.size()).isEqualTo(1);
    }

    @Test
    void keysOfTheSameNameButAnotherIncarnationDiffer() {
        log.append(live("a", 1));
        log.append(new PeerRecord.Node(1, "a", inc(2), T, T, false, entry("a", 1)));
        assertThat(log.size()).isEqualTo(2);
    }

    /** One step of a generated history: the key, and what becomes of it. */
    record Op(int key, int kind) {}

    @Provide
    Arbitrary<List<Op>> histories() {
        return net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, 3))
                .as(Op::new)
                .list()
                .ofMaxSize(60);
    }

    @Property(tries = 300)
    void theHashEqualsTheHashRecomputedFromScratch(@ForAll("histories") List<Op> ops, @ForAll long seed) {
        OriginLog owner = new OriginLog(7, clock::get);
        List<PeerRecord> written = new ArrayList<>();
        long now = 0;
        for (Op op : ops) {
            clock.set(now += 10);
            written.add(owner.append(recordFor(op)));
            assertThat(owner.hash()).isEqualTo(recomputed(owner));
            if (op.kind() == 3 && op.key() == 0) {
                owner.dropTombstones(now, Duration.ofMillis(50));
                assertThat(owner.hash()).isEqualTo(recomputed(owner));
            }
        }
        // A replica that gets every record, superseded ones too, in any order, holds the same table when
        // nothing was dropped.
        if (owner.floor() == 0) {
            Collections.shuffle(written, new Random(seed));
            OriginLog replica = new OriginLog(7, clock::get);
            written.forEach(replica::apply);
            assertThat(replica.hash()).isEqualTo(owner.hash());
            assertThat(replica.size()).isEqualTo(owner.size());
            assertThat(replica.seq()).isEqualTo(owner.seq());
        }
        // after(floor) is exactly the table's records above the floor (live ones below it stay), in seq order
        List<PeerRecord> above = owner.after(owner.floor());
        long expected =
                owner.records().stream().filter(r -> r.seq() > owner.floor()).count();
        assertThat(above).hasSize((int) expected);
        assertThat(seqs(above)).isSorted();
        if (owner.floor() > 0) {
            assertThat(owner.after(owner.floor() - 1)).isNull();
        }
    }

    private static PeerRecord recordFor(Op op) {
        String name = "n" + op.key();
        return switch (op.kind()) {
            case 0 -> live(name, 1);
            case 1 -> live(name, 2);
            case 2 -> dead(name, 1);
            default -> op.key() % 2 == 0 ? config(name, null) : config(name, "v");
        };
    }

    private static long recomputed(OriginLog log) {
        long h = 0;
        for (PeerRecord r : log.records()) {
            h ^= OriginLog.h(OriginLog.keyOf(r), r.seq());
        }
        return h;
    }

    private static List<Long> seqs(List<PeerRecord> records) {
        return records.stream().map(PeerRecord::seq).toList();
    }

    private static PeerRecord.Node live(String name, int port) {
        return new PeerRecord.Node(1, name, inc(1), T, T, false, entry(name, port));
    }

    private static PeerRecord.Node dead(String name, int claim) {
        return new PeerRecord.Node(1, name, inc(1), T, Stamp.of(claim, 0, "saturn1"), true, null);
    }

    private static PeerRecord.Config config(String item, String value) {
        return new PeerRecord.Config(1, "", item, value, T);
    }

    private static PeerRecord.Node withSeq(PeerRecord.Node r, long seq) {
        return new PeerRecord.Node(seq, r.name(), r.incarnation(), r.born(), r.claim(), r.dead(), r.entry());
    }

    private static NodeEntry entry(String name, int port) {
        return new NodeEntry(name, "10.0.0.1", port, Map.of(), List.of());
    }

    private static byte[] inc(int first) {
        byte[] b = new byte[16];
        b[0] = (byte) first;
        return b;
    }
}
