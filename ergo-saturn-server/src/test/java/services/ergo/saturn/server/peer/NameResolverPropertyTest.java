package services.ergo.saturn.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.PeerRecord;
import services.ergo.saturn.protocol.Stamp;

class NameResolverPropertyTest {
    private static final String NAME = "worker@h";
    private static final byte[][] INCARNATIONS = {inc(1), inc(2), inc(0x80)};

    @Property(tries = 500)
    void permutationsAndDuplicatesGiveTheSameWinner(
            @ForAll("recordSets") List<PeerRecord.Node> records,
            @ForAll long seed,
            @ForAll @IntRange(max = 5) int dups) {
        Random random = new Random(seed);
        List<PeerRecord.Node> mixed = new ArrayList<>(records);
        for (int i = 0; i < dups && !records.isEmpty(); i++) {
            PeerRecord.Node r = records.get(random.nextInt(records.size()));
            // a copy, as a record that came a second way would be
            mixed.add(new PeerRecord.Node(
                    r.seq(), r.name(), r.incarnation().clone(), r.born(), r.claim(), r.dead(), r.entry()));
        }
        Collections.shuffle(mixed, random);
        assertThat(id(NameResolver.resolve(mixed))).isEqualTo(id(NameResolver.resolve(records)));
    }

    @Property(tries = 500)
    void theWinnerMatchesTheSpecification(@ForAll("recordSets") List<PeerRecord.Node> records) {
        assertThat(id(NameResolver.resolve(records))).isEqualTo(id(oracle(records)));
    }

    @Property(tries = 300)
    void aLateTombstoneOfAnOldClaimNeverRemovesAMovedNode(
            @ForAll("recordSets") List<PeerRecord.Node> others,
            @ForAll @IntRange(min = 1, max = 4) int claimA,
            @ForAll @IntRange(min = 1, max = 4) int later) {
        Stamp born = Stamp.of(0, 0, "saturn1"); // born before anything the generator makes: it must win
        byte[] moved = inc(9);
        Stamp a = Stamp.of(claimA, 0, "saturn1");
        Stamp b = Stamp.of(claimA + later, 0, "saturn2");
        PeerRecord.Node liveA = live(3, moved, born, a);
        PeerRecord.Node liveB = live(1, moved, born, b);
        PeerRecord.Node deadA = new PeerRecord.Node(4, NAME, moved, born, a, true, null);

        List<PeerRecord.Node> records = new ArrayList<>(others);
        records.add(liveA);
        records.add(liveB);
        assertThat(id(NameResolver.resolve(records))).isEqualTo(id(liveB));
        records.add(deadA);
        assertThat(id(NameResolver.resolve(records))).isEqualTo(id(liveB));
        // while a tombstone of claim B does end the incarnation
        records.add(new PeerRecord.Node(2, NAME, moved, born, b, true, null));
        PeerRecord.Node after = NameResolver.resolve(records);
        assertThat(after == null || !java.util.Arrays.equals(after.incarnation(), moved))
                .isTrue();
    }

    @Property(tries = 300)
    void theEarliestBornLiveIncarnationWins(
            @ForAll @IntRange(min = 1, max = 1000) int bornFirst,
            @ForAll @IntRange(min = 1, max = 1000) int gap,
            @ForAll @IntRange(min = 1, max = 5000) int claimFirst,
            @ForAll @IntRange(min = 1, max = 5000) int claimSecond,
            @ForAll boolean swap) {
        Stamp early = Stamp.of(bornFirst, 0, "saturn2");
        Stamp late = Stamp.of(bornFirst + gap, 0, "saturn1");
        byte[] first = swap ? INCARNATIONS[0] : INCARNATIONS[2];
        byte[] second = swap ? INCARNATIONS[2] : INCARNATIONS[0];
        PeerRecord.Node winner = live(5, first, early, Stamp.of(claimFirst, 0, "saturn2"));
        PeerRecord.Node loser = live(6, second, late, Stamp.of(claimSecond, 0, "saturn1"));
        assertThat(id(NameResolver.resolve(List.of(loser, winner)))).isEqualTo(id(winner));
        assertThat(id(NameResolver.resolve(List.of(winner, loser)))).isEqualTo(id(winner));
    }

    @Property(tries = 100)
    void equalBornIsDecidedByIncarnationBytesUnsigned(@ForAll boolean order) {
        Stamp born = Stamp.of(10, 0, "saturn1");
        PeerRecord.Node low = live(1, inc(0x01), born, Stamp.of(20, 0, "saturn1"));
        PeerRecord.Node high = live(2, inc(0x80), born, Stamp.of(20, 0, "saturn2")); // negative as a signed byte
        List<PeerRecord.Node> records = order ? List.of(low, high) : List.of(high, low);
        assertThat(id(NameResolver.resolve(records))).isEqualTo(id(low));
    }

    @Property(tries = 50)
    void noRecordsOrOnlyTombstonesMeanAbsent(@ForAll @IntRange(min = 1, max = 5) int claim) {
        assertThat(NameResolver.resolve(List.of())).isNull();
        Stamp s = Stamp.of(claim, 0, "saturn1");
        assertThat(NameResolver.resolve(List.of(
                        live(1, INCARNATIONS[0], s, s),
                        new PeerRecord.Node(2, NAME, INCARNATIONS[0], s, s, true, null))))
                .isNull();
    }

    /** The rules of the design's §1, written out the slow way. */
    private static PeerRecord.@Nullable Node oracle(List<PeerRecord.Node> records) {
        PeerRecord.Node best = null;
        Stamp bestBorn = null;
        byte[] bestInc = null;
        for (byte[] inc : INCARNATIONS) {
            List<PeerRecord.Node> mine = records.stream()
                    .filter(r -> java.util.Arrays.equals(r.incarnation(), inc))
                    .toList();
            if (mine.isEmpty()) {
                continue;
            }
            Stamp claim = mine.stream()
                    .map(PeerRecord.Node::claim)
                    .max(Stamp::compareTo)
                    .orElseThrow();
            Stamp born = mine.stream()
                    .map(PeerRecord.Node::born)
                    .min(Stamp::compareTo)
                    .orElseThrow();
            boolean dead = mine.stream().anyMatch(r -> r.dead() && r.claim().equals(claim));
            PeerRecord.Node entry = mine.stream()
                    .filter(r -> !r.dead() && r.claim().equals(claim))
                    .max(java.util.Comparator.comparingLong(PeerRecord.Node::seq))
                    .orElse(null);
            if (dead || entry == null) {
                continue;
            }
            int c = bestBorn == null ? -1 : born.compareTo(bestBorn);
            if (c < 0 || (c == 0 && java.util.Arrays.compareUnsigned(inc, bestInc) < 0)) {
                best = entry;
                bestBorn = born;
                bestInc = inc;
            }
        }
        return best;
    }

    @Provide
    Arbitrary<List<PeerRecord.Node>> recordSets() {
        Arbitrary<Stamp> stamps = Combinators.combine(
                        Arbitraries.integers().between(1, 5), Arbitraries.of("saturn1", "saturn2"))
                .as((ms, id) -> Stamp.of(ms, 0, id));
        Arbitrary<PeerRecord.Node> record = Combinators.combine(
                        Arbitraries.longs().between(1, 8),
                        Arbitraries.of(INCARNATIONS),
                        stamps,
                        stamps,
                        Arbitraries.integers().between(0, 3))
                .as((seq, inc, born, claim, kind) -> kind == 0
                        ? new PeerRecord.Node(seq, NAME, inc, born, claim, true, null)
                        : live(seq, inc, born, claim));
        // Only a claim's owner writes its live records, one per seq: a generated record that would be a second,
        // different record at the same incarnation, claim and seq is left out.
        return record.list().ofMaxSize(12).map(list -> {
            java.util.Set<String> seen = new java.util.HashSet<>();
            return list.stream()
                    .filter(r -> r.dead() || seen.add(OriginLog.hex(r.incarnation()) + "/" + r.claim() + "/" + r.seq()))
                    .toList();
        });
    }

    private static PeerRecord.Node live(long seq, byte[] inc, Stamp born, Stamp claim) {
        // the content follows the seq, as one owner's records of one claim would
        NodeEntry entry = new NodeEntry(NAME, "10.0.0.1", (int) (1000 + seq), Map.of(), List.of());
        return new PeerRecord.Node(seq, NAME, inc, born, claim, false, entry);
    }

    /** A record's content with the incarnation as hex: records compare byte arrays by reference. */
    private static @Nullable String id(PeerRecord.@Nullable Node r) {
        return r == null
                ? null
                : r.seq() + "/" + OriginLog.hex(r.incarnation()) + "/" + r.born() + "/" + r.claim() + "/" + r.dead()
                        + "/" + r.entry();
    }

    private static byte[] inc(int first) {
        byte[] b = new byte[16];
        b[0] = (byte) first;
        return b;
    }
}
