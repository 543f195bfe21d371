package services.ergo.saturn.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class StampTest {
    @Property(tries = 500)
    void millisAndCounterComeBackAndOrderTheStamps(
            @ForAll @LongRange(min = 0, max = (1L << 47) - 1) long millis,
            @ForAll @IntRange(min = 0, max = Stamp.MAX_COUNTER) int counter) {
        Stamp s = Stamp.of(millis, counter, "saturn1");
        assertThat(s.millis()).isEqualTo(millis);
        assertThat(s.counter()).isEqualTo(counter);
        if (counter < Stamp.MAX_COUNTER) {
            assertThat(s).isLessThan(Stamp.of(millis, counter + 1, "saturn1"));
        }
        if (millis < (1L << 47) - 1) {
            // a later millisecond is later, whatever the counter
            assertThat(s).isLessThan(Stamp.of(millis + 1, 0, "saturn1"));
        }
    }

    @Test
    void theServerIdBreaksTiesAndOnlyThat() {
        Stamp a = Stamp.of(1000, 5, "saturn1");
        Stamp b = Stamp.of(1000, 5, "saturn2");
        Stamp later = Stamp.of(1000, 6, "saturn0");
        List<Stamp> sorted = new ArrayList<>(List.of(later, b, a));
        sorted.sort(null);
        assertThat(sorted).containsExactly(a, b, later);
        assertThat(a.compareTo(Stamp.of(1000, 5, "saturn1"))).isZero();
        assertThat(a).isEqualTo(Stamp.of(1000, 5, "saturn1"));
    }

    @Test
    void aStampNeedsAServerIdOfBoundedLengthAndAPositiveClock() {
        assertThatThrownBy(() -> new Stamp(1, "")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new Stamp(1, "é".repeat(33))).hasMessageContaining("at most 64 bytes");
        assertThat(new Stamp(1, "x".repeat(Stamp.MAX_SERVER_ID_BYTES)).serverId())
                .hasSize(64);
        assertThatThrownBy(() -> new Stamp(-1, "s")).hasMessageContaining(">= 0");
        assertThatThrownBy(() -> Stamp.of(1, Stamp.MAX_COUNTER + 1, "s")).hasMessageContaining("counter");
        assertThatThrownBy(() -> Stamp.of(1L << 47, 0, "s")).hasMessageContaining("millis");
    }
}
