package services.ergo.benchmark.saturn;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each revision reached its last counted client: per revision, how many counted clients hold it and the
 * latest time one of them got it. Clients record the revisions each delta brings them; the driver reads the
 * arrays after a phase.
 */
final class Tracker {
    private final AtomicIntegerArray count;
    private final AtomicLongArray last;

    Tracker(int capacity) {
        count = new AtomicIntegerArray(capacity);
        last = new AtomicLongArray(capacity);
    }

    void record(long from, long to, long now) {
        for (long r = Math.max(0, from + 1); r <= to && r < count.length(); r++) {
            count.incrementAndGet((int) r);
            last.accumulateAndGet((int) r, now, Math::max);
        }
    }

    int count(long revision) {
        return revision < count.length() ? count.get((int) revision) : 0;
    }

    long last(long revision) {
        return revision < last.length() ? last.get((int) revision) : 0;
    }
}
