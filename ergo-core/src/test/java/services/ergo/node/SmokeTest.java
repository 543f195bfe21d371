package services.ergo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;

class SmokeTest {
    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request;
        }
    }

    static final class Counter extends Actor {
        static CountDownLatch done;
        static int target;
        int n;

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (++n == target) {
                done.countDown();
            }
        }
    }

    static final class Sender extends Actor {
        @Override
        protected void handleMessage(Pid from, Object message) {
            Pid to = (Pid) message;
            for (int i = 0; i < Counter.target; i++) {
                send(to, i);
            }
        }
    }

    @Test
    void echoAndThroughput() throws Exception {
        Node node = Ergo.startNode(
                "smoke@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
        try {
            Pid echo = node.spawn(Echo::new, ProcessOptions.defaults());
            assertThat(node.call(echo, "hi")).isEqualTo("hi");
            for (int round = 0; round < 5; round++) {
                Counter.target = 3_000_000;
                Counter.done = new CountDownLatch(1);
                Pid c = node.spawn(Counter::new, ProcessOptions.defaults());
                Pid s = node.spawn(Sender::new, ProcessOptions.defaults());
                long t0 = System.nanoTime();
                node.send(s, c);
                assertThat(Counter.done.await(60, TimeUnit.SECONDS)).isTrue();
                long ns = System.nanoTime() - t0;
                System.out.printf("1->1: %.2f M msg/s%n", Counter.target / (ns / 1e9) / 1e6);
            }
            long t0 = System.nanoTime();
            int n = 100_000;
            for (int i = 0; i < n; i++) {
                node.call(echo, i);
            }
            System.out.printf("call from thread: %.2f us avg%n", (System.nanoTime() - t0) / 1e3 / n);
        } finally {
            node.stop();
        }
    }
}
