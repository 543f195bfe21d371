package services.ergo.inspect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;

/** The inspector pages 100 000 processes on the node: one page on the wire, quickly. */
class InspectorTest {

    @Test
    @SuppressWarnings("unchecked")
    void pagesAHundredThousandProcessesSortedByMailbox() {
        Node node = Ergo.startNode(
                "inspected@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            for (int i = 0; i < 100_000; i++) {
                node.spawn(Idle::new, ProcessOptions.defaults());
            }
            Pid busy = node.spawnRegister("busy", Idle::new, ProcessOptions.defaults());
            Inspector.start(node, InspectorOptions.defaults().withLogs(new LogBuffer(10)));
            node.kill(busy); // a terminated one is not listed
            Pid stuck = node.spawnRegister("stuck", Stuck::new, ProcessOptions.defaults());
            for (int i = 0; i < 5; i++) {
                node.send(stuck, i);
            }
            long best = Long.MAX_VALUE;
            Map<String, Object> page = null;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                page = (Map<String, Object>) node.call(
                        Inspector.NAME,
                        new HashMap<>(Map.of("op", "processes", "sort", "mailbox", "desc", "true", "limit", 50L)));
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("a page of 50 of 100k processes sorted by mailbox: %.1f ms%n", best / 1e6);
            assertThat((Long) page.get("total")).isEqualTo(100_002L);
            List<Map<String, Object>> items = (List<Map<String, Object>>) page.get("items");
            assertThat(items).hasSize(50);
            assertThat(items.get(0)).containsEntry("name", "stuck");
            assertThat(best / 1_000_000).isLessThan(2000);
        } finally {
            RELEASE.countDown();
            node.stop();
        }
    }

    static final class Idle extends Actor {}

    static final java.util.concurrent.CountDownLatch RELEASE = new java.util.concurrent.CountDownLatch(1);

    /** Takes its first message and does not finish it until released, so the rest wait in its mailbox. */
    static final class Stuck extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) throws InterruptedException {
            if (Integer.valueOf(0).equals(message)) {
                RELEASE.await(); // blocked until the test is done with it
            }
        }
    }
}
