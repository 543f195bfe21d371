package services.ergo.spring.cluster;

import java.util.function.Consumer;
import services.ergo.act.Actor;
import services.ergo.gen.Event;
import services.ergo.gen.MessageDownEvent;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.Pid;
import services.ergo.gen.RegistrarEvent;

/** A process that monitors the registrar's event and hands each {@link RegistrarEvent} to Spring. */
final class RegistrarEventRelay extends Actor {
    private final Event event;
    private final Consumer<RegistrarEvent> sink;

    RegistrarEventRelay(Event event, Consumer<RegistrarEvent> sink) {
        this.event = event;
        this.sink = sink;
    }

    @Override
    protected void init(Object... args) {
        monitorEvent(event);
    }

    @Override
    protected void handleEvent(MessageEvent message) {
        if (message.message() instanceof RegistrarEvent e) {
            try {
                sink.accept(e);
            } catch (RuntimeException listenerFailed) {
                log().warn("a listener of registrar event {} failed: {}", e, listenerFailed.toString());
            }
        }
    }

    @Override
    protected void handleMessage(Pid from, Object message) {
        if (message instanceof MessageDownEvent) {
            stop(services.ergo.gen.Reason.NORMAL); // the registrar went away with the node
        }
    }
}
