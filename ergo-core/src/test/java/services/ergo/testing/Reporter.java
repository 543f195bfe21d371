package services.ergo.testing;

import java.util.concurrent.BlockingQueue;
import services.ergo.act.Actor;

/**
 * A test actor that hands things to the test thread through the queue given as its first init argument. Subclasses
 * call {@link #report} and read the rest of their arguments in {@link #setUp}.
 */
public abstract class Reporter extends Actor {
    private BlockingQueue<Object> out;

    @Override
    @SuppressWarnings("unchecked")
    protected final void init(Object... args) throws Exception {
        out = (BlockingQueue<Object>) args[0];
        setUp(args);
    }

    /** The rest of init; {@code args[0]} is the queue. */
    protected void setUp(Object... args) throws Exception {}

    protected final void report(Object thing) {
        out.add(thing);
    }

    protected final int reported() {
        return out.size();
    }
}
