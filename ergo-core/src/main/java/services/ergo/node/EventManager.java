package services.ergo.node;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.EventOptions;
import services.ergo.gen.MessageDownEvent;
import services.ergo.gen.MessageEvent;
import services.ergo.gen.MessageEventStart;
import services.ergo.gen.MessageEventStop;
import services.ergo.gen.MessageExitEvent;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessUnknownException;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;

/**
 * The events of one node: who produces each, who subscribes (by link or monitor), and the last messages kept for
 * newcomers. Each event has its own lock; publishing takes it only to copy the subscriber list.
 */
final class EventManager {
    private final LocalNode node;
    private final ConcurrentHashMap<String, Registered> events = new ConcurrentHashMap<>();
    private final LongAdder published = new LongAdder();

    EventManager(LocalNode node) {
        this.node = node;
    }

    private static final class Registered {
        final Event event;
        final Pid producer;
        final Ref token;
        final EventOptions options;
        /** The last messages, for newcomers; null when the event keeps none. */
        final @Nullable Deque<MessageEvent> buffer;
        /** subscriber → its subscription; a process subscribes at most once to one event. */
        final Map<Pid, Subscription> subscribers = new LinkedHashMap<>();

        boolean closed;

        Registered(Event event, Pid producer, Ref token, EventOptions options) {
            this.event = event;
            this.producer = producer;
            this.token = token;
            this.options = options;
            this.buffer = options.buffer() > 0 ? new ArrayDeque<>(options.buffer()) : null;
        }
    }

    private record Subscription(Ref ref, boolean link) {}

    Ref register(Pid producer, String name, EventOptions options) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("event name must not be empty");
        }
        Event event = new Event(name, node.name);
        Registered r =
                new Registered(event, producer, node.makeRef(), options == null ? EventOptions.defaults() : options);
        if (events.putIfAbsent(name, r) != null) {
            throw new NameTakenException(name);
        }
        return r.token;
    }

    void unregister(Pid producer, String name) {
        Registered r = events.get(name);
        if (r == null) {
            throw new ProcessUnknownException(new Event(name, node.name));
        }
        if (!r.producer.equals(producer)) {
            throw new NotAllowedException("event '" + name + "' belongs to " + r.producer);
        }
        end(r, Reason.NORMAL);
    }

    void publish(Pid producer, String name, Ref token, Object message) {
        Registered r = events.get(name);
        if (r == null) {
            throw new ProcessUnknownException(new Event(name, node.name));
        }
        if (!r.token.equals(token)) {
            throw new NotAllowedException("wrong token for event '" + name + "'");
        }
        MessageEvent m = new MessageEvent(r.event, System.nanoTime(), message);
        List<Pid> targets;
        synchronized (r) {
            if (r.closed) {
                throw new ProcessUnknownException(r.event);
            }
            if (r.buffer != null) {
                if (r.buffer.size() == r.options.buffer()) {
                    r.buffer.removeFirst();
                }
                r.buffer.addLast(m);
            }
            targets = new ArrayList<>(r.subscribers.keySet());
        }
        published.increment();
        for (Pid p : targets) {
            node.router.deliverEvent(p, m);
        }
    }

    List<MessageEvent> subscribe(Pid subscriber, Event event, boolean link) {
        return doSubscribe(subscriber, event, link).buffered;
    }

    Ref subscribeRef(Pid subscriber, Event event) {
        return doSubscribe(subscriber, event, false).ref;
    }

    private record Subscribed(Ref ref, List<MessageEvent> buffered) {}

    private Subscribed doSubscribe(Pid subscriber, Event event, boolean link) {
        if (!node.name.equals(event.node())) {
            throw new ErgoException("remote events need the network, which is not enabled on " + node.name);
        }
        Registered r = events.get(event.name());
        if (r == null) {
            throw new ProcessUnknownException(event);
        }
        boolean first;
        Ref ref;
        List<MessageEvent> buffered;
        synchronized (r) {
            if (r.closed) {
                throw new ProcessUnknownException(event);
            }
            Subscription existing = r.subscribers.get(subscriber);
            if (existing != null) {
                return new Subscribed(existing.ref, r.buffer == null ? List.of() : new ArrayList<>(r.buffer));
            }
            ref = node.makeRef();
            first = r.subscribers.isEmpty();
            r.subscribers.put(subscriber, new Subscription(ref, link));
            buffered = r.buffer == null ? List.of() : new ArrayList<>(r.buffer);
        }
        if (first && r.options.notifyProducer()) {
            node.router.deliverSystem(node.corePid(), r.producer, new MessageEventStart(event));
        }
        return new Subscribed(ref, buffered);
    }

    void unsubscribe(Pid subscriber, Event event) {
        Registered r = events.get(event.name());
        if (r == null) {
            return;
        }
        boolean last;
        synchronized (r) {
            if (r.subscribers.remove(subscriber) == null) {
                return;
            }
            last = r.subscribers.isEmpty();
        }
        if (last && r.options.notifyProducer() && !r.closed) {
            node.router.deliverSystem(node.corePid(), r.producer, new MessageEventStop(r.event));
        }
    }

    /** A process ended: its events end, and its subscriptions go. */
    void processEnded(Pid pid, Reason reason) {
        if (events.isEmpty()) {
            return;
        }
        for (Registered r : events.values()) {
            if (r.producer.equals(pid)) {
                end(r, reason);
            } else {
                unsubscribe(pid, r.event);
            }
        }
    }

    private void end(Registered r, Reason reason) {
        Map<Pid, Subscription> subs;
        synchronized (r) {
            if (r.closed) {
                return;
            }
            r.closed = true;
            subs = new LinkedHashMap<>(r.subscribers);
            r.subscribers.clear();
        }
        events.remove(r.event.name(), r);
        subs.forEach((pid, s) -> {
            if (s.link) {
                node.router.deliverSystemExit(r.producer, pid, new MessageExitEvent(r.event, reason));
            } else {
                node.router.deliverSystem(r.producer, pid, new MessageDownEvent(r.event, s.ref, reason));
            }
        });
    }

    List<Event> eventsOf(Pid producer) {
        List<Event> out = new ArrayList<>();
        for (Registered r : events.values()) {
            if (r.producer.equals(producer)) {
                out.add(r.event);
            }
        }
        return out;
    }

    long total() {
        return events.size();
    }

    long published() {
        return published.sum();
    }
}
