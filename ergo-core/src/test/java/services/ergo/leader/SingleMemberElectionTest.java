package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A group of one (one coordinator in a demo) leads itself and keeps leading. Found by the samples. */
class SingleMemberElectionTest {

    @Test
    void aGroupOfOneLeadsAndNeverStepsDown() {
        Election e =
                new Election("a@n1", Set.of("a@n1"), 150, 300, 50, new Random(1), Election.Persistence.inMemory(), 0);
        long now = 0;
        for (int i = 0; i < 1000 && !e.isLeader(); i++) {
            now = Math.max(now + 1, e.nextDeadline());
            e.tick(now);
        }
        assertThat(e.isLeader()).isTrue();
        long term = e.term();
        for (int i = 0; i < 10_000; i++) {
            long next = e.nextDeadline();
            assertThat(next).isGreaterThan(now).isLessThan(now + 1_000);
            now = next;
            e.tick(now);
            assertThat(e.isLeader()).isTrue();
        }
        assertThat(e.term()).isEqualTo(term);
    }
}
