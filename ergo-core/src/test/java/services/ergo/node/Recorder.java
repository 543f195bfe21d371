package services.ergo.node;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.Pid;
import services.ergo.gen.Ref;

/**
 * A test actor that hands what it receives to the test thread. Args: the queue, then optionally "trap" to trap
 * exits. Down and exit messages are handed over as they are, others wrapped in {@link Got}. It answers calls with the request, throws on "crash", and stops on "stop".
 */
class Recorder extends services.ergo.testing.Reporter {
    record Got(Pid from, Object message) {}

    static BlockingQueue<Object> queue() {
        return new LinkedBlockingQueue<>();
    }

    static Object take(BlockingQueue<Object> q) throws InterruptedException {
        Object o = q.poll(5, TimeUnit.SECONDS);
        if (o == null) {
            throw new AssertionError("nothing received within 5 s");
        }
        return o;
    }

    @Override
    protected void setUp(Object... args) {
        if (args.length > 1 && "trap".equals(args[1])) {
            setTrapExit(true);
        }
    }

    @Override
    protected void handleMessage(Pid from, Object message) {
        if ("crash".equals(message)) {
            throw new IllegalStateException("asked to crash");
        }
        if ("stop".equals(message)) {
            stop(services.ergo.gen.Reason.NORMAL);
            return;
        }
        if (message instanceof services.ergo.gen.MessageDown || message instanceof services.ergo.gen.MessageExit) {
            report(message);
        } else {
            report(new Got(from, message));
        }
    }

    @Override
    protected Object handleCall(Pid from, Ref ref, Object request) {
        if ("crash".equals(request)) {
            throw new IllegalStateException("asked to crash in a call");
        }
        return request;
    }

    @Override
    protected void handleEvent(MessageEvent event) {
        report(event);
    }

    @Override
    protected Map<String, String> handleInspect(Pid from, String... items) {
        return Map.of("received", String.valueOf(reported()));
    }
}
