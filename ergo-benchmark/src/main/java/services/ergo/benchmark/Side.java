package services.ergo.benchmark;

import java.util.List;

/** One side of the comparison: runs a scenario of the given size in this JVM and returns what it measured. */
interface Side {
    List<Measurement> run(String scenario, Sizes sizes) throws Exception;

    /** How big a run is; the smoke mode uses tiny sizes. */
    record Sizes(int messages, int calls, int processes, int networkMessages, int networkCalls, int warmups) {
        static final Sizes FULL = new Sizes(3_000_000, 200_000, 1_000_000, 1_000_000, 20_000, 2);
        static final Sizes SMOKE = new Sizes(20_000, 2_000, 10_000, 10_000, 500, 0);
    }
}
