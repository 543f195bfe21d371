package services.ergo.saturn.server.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import services.ergo.saturn.protocol.Stamp;

class HlcTest {
    private final AtomicLong wall = new AtomicLong(1_000_000);
    private final Hlc hlc = new Hlc("saturn1", wall::get, Duration.ofSeconds(30));

    @Test
    void nowIsStrictlyIncreasingWithinOneMillisecond() {
        Stamp prev = hlc.now();
        assertThat(prev.millis()).isEqualTo(1_000_000);
        for (int i = 0; i < 70_000; i++) { // past one millisecond's counter
            Stamp next = hlc.now();
            assertThat(next).isGreaterThan(prev);
            prev = next;
        }
    }

    @Test
    void nowFollowsTheWallClock() {
        hlc.now();
        wall.set(2_000_000);
        Stamp s = hlc.now();
        assertThat(s.millis()).isEqualTo(2_000_000);
        assertThat(s.counter()).isZero();
    }

    @Test
    void nowNeverGoesBackWhenTheWallClockDoes() {
        Stamp before = hlc.now();
        wall.set(500_000);
        assertThat(hlc.now()).isGreaterThan(before);
    }

    @Test
    void observeMovesPastAReceivedStamp() {
        Stamp received = Stamp.of(1_010_000, 7, "saturn2"); // 10 s ahead: within the skew
        assertThat(hlc.observe(received)).isTrue();
        Stamp next = hlc.now();
        assertThat(next).isGreaterThan(received);
        assertThat(next.millis()).isEqualTo(1_010_000);
        assertThat(hlc.skewed()).isZero();
    }

    @Test
    void observeOfAnOlderStampChangesNothing() {
        Stamp mine = hlc.now();
        assertThat(hlc.observe(Stamp.of(10, 0, "saturn2"))).isTrue();
        assertThat(hlc.now().hlc()).isEqualTo(mine.hlc() + 1);
    }

    @Test
    void aStampTooFarAheadIsIgnoredAndCounted() {
        Stamp far = Stamp.of(1_000_000 + 30_001, 0, "saturn2");
        assertThat(hlc.observe(far)).isFalse();
        assertThat(hlc.skewed()).isEqualTo(1);
        assertThat(hlc.now().millis()).isEqualTo(1_000_000);

        Stamp edge = Stamp.of(1_000_000 + 30_000, 0, "saturn2");
        assertThat(hlc.observe(edge)).isTrue();
        assertThat(hlc.now()).isGreaterThan(edge);
    }

    @Test
    void concurrentCallersNeverGetTheSameStamp() throws InterruptedException {
        int threads = 4;
        int each = 10_000;
        java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    seen.add(hlc.now().hlc());
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(seen).hasSize(threads * each);
    }
}
