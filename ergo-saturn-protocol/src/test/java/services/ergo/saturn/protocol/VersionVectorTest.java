package services.ergo.saturn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The vector is a join: merge is commutative, associative and idempotent, and covers is its order. */
class VersionVectorTest {
    @Provide
    Arbitrary<VersionVector> vectors() {
        // few origins, so that vectors share some
        return Arbitraries.maps(
                        Arbitraries.longs().between(1, 6), Arbitraries.longs().between(0, 5))
                .ofMaxSize(6)
                .map(VersionVector::new);
    }

    @Property(tries = 500)
    void mergeIsAJoin(
            @ForAll("vectors") VersionVector a,
            @ForAll("vectors") VersionVector b,
            @ForAll("vectors") VersionVector c) {
        assertThat(a.merge(b)).isEqualTo(b.merge(a));
        assertThat(a.merge(b).merge(c)).isEqualTo(a.merge(b.merge(c)));
        assertThat(a.merge(a)).isEqualTo(a);
        assertThat(a.merge(VersionVector.EMPTY)).isEqualTo(a);
        VersionVector ab = a.merge(b);
        assertThat(ab.covers(a)).isTrue();
        assertThat(ab.covers(b)).isTrue();
        for (long origin = 1; origin <= 6; origin++) {
            assertThat(ab.get(origin)).isEqualTo(Math.max(a.get(origin), b.get(origin)));
        }
    }

    @Property(tries = 500)
    void coversIsTheOrderOfMerge(@ForAll("vectors") VersionVector a, @ForAll("vectors") VersionVector b) {
        assertThat(a.covers(b)).isEqualTo(a.merge(b).equals(a));
        assertThat(a.covers(a)).isTrue();
        assertThat(a.covers(VersionVector.EMPTY)).isTrue();
        if (a.covers(b) && b.covers(a)) {
            assertThat(a).isEqualTo(b);
        }
    }

    @Test
    void anAbsentOriginIsZeroAndAZeroIsAbsent() {
        VersionVector v = VersionVector.EMPTY.with(5, 3).with(7, 0);
        assertThat(v.get(5)).isEqualTo(3);
        assertThat(v.get(7)).isZero();
        assertThat(v.get(99)).isZero();
        assertThat(v.size()).isEqualTo(1);
        assertThat(v).isEqualTo(new VersionVector(Map.of(5L, 3L)));
        assertThat(v.with(5, 1).get(5)).isEqualTo(1); // with replaces, merge takes the maximum
        assertThat(v.merge(VersionVector.EMPTY.with(5, 1)).get(5)).isEqualTo(3);
        assertThat(v.asMap().firstKey()).isEqualTo(5L);
        assertThatThrownBy(() -> v.asMap().put(1L, 1L)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void originsArePositiveAndSequencesNotNegative() {
        assertThatThrownBy(() -> VersionVector.EMPTY.with(0, 1)).hasMessageContaining("origin must be > 0");
        assertThatThrownBy(() -> VersionVector.EMPTY.with(-3, 1)).hasMessageContaining("origin must be > 0");
        assertThatThrownBy(() -> VersionVector.EMPTY.with(3, -1)).hasMessageContaining("seq must be >= 0");
        Map<Long, Long> copied = new HashMap<>(Map.of(4L, 2L));
        VersionVector v = new VersionVector(copied);
        copied.put(4L, 9L);
        assertThat(v.get(4)).isEqualTo(2); // a copy, not a view
    }
}
