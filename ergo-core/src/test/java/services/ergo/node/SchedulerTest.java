package services.ergo.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
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

class SchedulerTest {

    /** Calls the next process in its chain and answers with what came back, plus its own mark. */
    static final class Link extends Actor {
        private Pid next;

        @Override
        protected void init(Object... args) {
            next = args.length > 0 ? (Pid) args[0] : null;
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if (next == null) {
                return request + ">end";
            }
            return call(next, request + ">hop", Duration.ofSeconds(20));
        }
    }

    /** Starts one A→B→C call chain when told, and reports the answer. */
    static final class Starter extends services.ergo.testing.Reporter {
        private Pid a;

        @Override
        protected void setUp(Object... args) {
            a = (Pid) args[1];
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(call(a, "go", Duration.ofSeconds(20)));
        }
    }

    @Test
    void twoHundredNestedBlockingCallChainsOnTwoWorkersFinishWithoutDeadlock() throws Exception {
        Node node = Ergo.startNode(
                "sched@localhost",
                NodeOptions.builder()
                        .network(NetworkOptions.off())
                        .schedulerThreads(2)
                        .build());
        try {
            BlockingQueue<Object> answers = Recorder.queue();
            List<Pid> starters = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                Pid c = node.spawn(Link::new, ProcessOptions.defaults());
                Pid b = node.spawn(Link::new, ProcessOptions.defaults(), c);
                Pid a = node.spawn(Link::new, ProcessOptions.defaults(), b);
                starters.add(node.spawn(Starter::new, ProcessOptions.defaults(), answers, a));
            }
            long t0 = System.nanoTime();
            starters.forEach(s -> node.send(s, "start")); // all 200 chains block at once
            for (int i = 0; i < 200; i++) {
                Object answer = answers.poll(30, TimeUnit.SECONDS);
                assertThat(answer).as("answer %d of 200", i).isEqualTo("go>hop>hop>end");
            }
            System.out.printf(
                    "200 nested call chains on 2 workers: %d ms, %d threads at peak or after%n",
                    (System.nanoTime() - t0) / 1_000_000, ((LocalNode) node).scheduler.threads());
        } finally {
            node.stop();
        }
    }

    @Test
    void sparesRetireOnceTheBlockingIsOver() throws Exception {
        Node node = Ergo.startNode(
                "retire@localhost",
                NodeOptions.builder()
                        .network(NetworkOptions.off())
                        .schedulerThreads(2)
                        .build());
        try {
            BlockingQueue<Object> answers = Recorder.queue();
            for (int i = 0; i < 20; i++) {
                Pid c = node.spawn(Link::new, ProcessOptions.defaults());
                Pid b = node.spawn(Link::new, ProcessOptions.defaults(), c);
                Pid a = node.spawn(Link::new, ProcessOptions.defaults(), b);
                node.send(node.spawn(Starter::new, ProcessOptions.defaults(), answers, a), "start");
            }
            for (int i = 0; i < 20; i++) {
                assertThat(answers.poll(30, TimeUnit.SECONDS)).isNotNull();
            }
            // spares leave when they are idle and enough unblocked workers remain; poke the pool so they notice
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
                Pid p = node.spawn(Link::new, ProcessOptions.defaults());
                node.call(p, "x");
                return ((LocalNode) node).scheduler.threads() == 2;
            });
        } finally {
            node.stop();
        }
    }

    static final class PingPong extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request;
        }
    }

    @Test
    void aSingleWorkerStillServesCallsFromItsOwnProcesses() throws Exception {
        Node node = Ergo.startNode(
                "single@localhost",
                NodeOptions.builder()
                        .network(NetworkOptions.off())
                        .schedulerThreads(1)
                        .build());
        try {
            BlockingQueue<Object> answers = Recorder.queue();
            Pid c = node.spawn(Link::new, ProcessOptions.defaults());
            Pid b = node.spawn(Link::new, ProcessOptions.defaults(), c);
            Pid a = node.spawn(Link::new, ProcessOptions.defaults(), b);
            node.send(node.spawn(Starter::new, ProcessOptions.defaults(), answers, a), "start");
            assertThat(answers.poll(10, TimeUnit.SECONDS)).isEqualTo("go>hop>hop>end");
        } finally {
            node.stop();
        }
    }
}
