package services.ergo.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageDownEvent;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageEventStart;
import services.ergo.gen.MessageEventStop;
import services.ergo.gen.MessageExitEvent;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Ref;

class EventTest {
    private Node node;

    @BeforeEach
    void start() {
        node = Ergo.startNode(
                "events@localhost",
                NodeOptions.builder().network(NetworkOptions.off()).build());
    }

    @AfterEach
    void stop() {
        node.stop();
    }

    /** Registers event "prices" (notify, buffer 2) and publishes what it is told; reports start/stop. */
    static final class Producer extends Recorder {
        private Ref token;

        @Override
        protected void setUp(Object... args) {
            token = registerEvent("prices", new EventOptions(true, 2));
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if (message instanceof MessageEventStart
                    || message instanceof MessageEventStop
                    || "crash".equals(message)) {
                super.handleMessage(from, message);
                return;
            }
            sendEvent("prices", token, message);
        }
    }

    /** Subscribes to args[1] by monitor or link (args[2]) and reports the buffered messages then everything. */
    static class Subscriber extends Recorder {
        private Event event;

        @Override
        protected void setUp(Object... args) {
            event = (Event) args[1];
            report("link".equals(args[2]) ? linkEvent(event) : monitorEvent(event));
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            if ("leave".equals(message)) {
                demonitor(event);
                return;
            }
            super.handleMessage(from, message);
        }
    }

    @Test
    void subscribersGetPublishedMessagesAndTheBufferAndTheProducerHearsFirstAndLast() throws Exception {
        BlockingQueue<Object> producerQ = Recorder.queue();
        Pid producer = node.spawn(Producer::new, ProcessOptions.defaults(), producerQ);
        Event prices = new Event("prices", node.name());
        for (int i = 1; i <= 3; i++) {
            node.send(producer, i);
        }
        await().until(() -> node.info().eventsPublished() == 3);

        BlockingQueue<Object> subQ = Recorder.queue();
        Pid sub = node.spawn(Subscriber::new, ProcessOptions.defaults(), subQ, prices, "monitor");
        @SuppressWarnings("unchecked")
        List<MessageEvent> buffered = (List<MessageEvent>) Recorder.take(subQ);
        assertThat(buffered).extracting(MessageEvent::message).containsExactly(2, 3);
        assertThat(((Recorder.Got) Recorder.take(producerQ)).message()).isEqualTo(new MessageEventStart(prices));

        node.send(producer, 4);
        MessageEvent m = (MessageEvent) Recorder.take(subQ);
        assertThat(m.event()).isEqualTo(prices);
        assertThat(m.message()).isEqualTo(4);
        assertThat(node.processInfo(producer).events()).containsExactly(prices);

        node.send(sub, "leave");
        assertThat(((Recorder.Got) Recorder.take(producerQ)).message()).isEqualTo(new MessageEventStop(prices));
    }

    @Test
    void whenTheProducerEndsMonitorsGetDownAndLinksGetExit() throws Exception {
        BlockingQueue<Object> producerQ = Recorder.queue();
        Pid producer = node.spawn(Producer::new, ProcessOptions.defaults(), producerQ);
        Event prices = new Event("prices", node.name());
        BlockingQueue<Object> monQ = Recorder.queue();
        BlockingQueue<Object> linkQ = Recorder.queue();
        node.spawn(Subscriber::new, ProcessOptions.defaults(), monQ, prices, "monitor");
        Recorder.take(monQ);
        Pid linked = node.spawn(TrappingSubscriber::new, ProcessOptions.defaults(), linkQ, prices, "link");
        Recorder.take(linkQ);
        node.send(producer, "crash");
        MessageDownEvent down = (MessageDownEvent) Recorder.take(monQ);
        assertThat(down.event()).isEqualTo(prices);
        assertThat(down.reason().text()).contains("asked to crash");
        MessageExitEvent exit = (MessageExitEvent) Recorder.take(linkQ);
        assertThat(exit.event()).isEqualTo(prices);
        assertThat(node.processInfo(linked)).isNotNull();
        assertThat(node.info().eventsTotal()).isZero();
    }

    static final class TrappingSubscriber extends Subscriber {
        @Override
        protected void setUp(Object... args) {
            setTrapExit(true);
            super.setUp(args);
        }
    }

    @Test
    void aLinkedSubscriberWithoutTrapExitEndsWithTheProducer() throws Exception {
        BlockingQueue<Object> producerQ = Recorder.queue();
        Pid producer = node.spawn(Producer::new, ProcessOptions.defaults(), producerQ);
        Event prices = new Event("prices", node.name());
        BlockingQueue<Object> linkQ = Recorder.queue();
        Pid linked = node.spawn(Subscriber::new, ProcessOptions.defaults(), linkQ, prices, "link");
        Recorder.take(linkQ);
        node.send(producer, "crash");
        await().until(() -> {
            try {
                node.processInfo(linked);
                return false;
            } catch (ProcessUnknownException e) {
                return true;
            }
        });
    }

    @Test
    void nodeEventsAndErrors() {
        Ref token = node.registerEvent("ticks", EventOptions.defaults());
        assertThatThrownBy(() -> node.registerEvent("ticks", EventOptions.defaults()))
                .isInstanceOf(NameTakenException.class);
        assertThatThrownBy(() -> node.sendEvent("ticks", new Ref(node.name(), 1, 1), "x"))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("wrong token");
        assertThatThrownBy(() -> node.sendEvent("nope", token, "x")).isInstanceOf(ProcessUnknownException.class);
        assertThatThrownBy(() -> new EventOptions(false, -1)).hasMessageContaining("buffer must be >= 0");
        node.sendEvent("ticks", token, "no subscribers is fine");
        node.unregisterEvent("ticks");
        assertThat(node.info().eventsTotal()).isZero();
    }
}
