package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import services.ergo.gen.OutboxFullException;

/**
 * One authenticated TCP connection to a peer, one lane of the pool that carries a {@link Connection} (Artery's
 * word; "link" is kept for process links). Senders on any thread put frames in the lane's queue; the first one to
 * find no drain pending schedules one on the event loop, which writes everything queued and flushes once. A busy
 * sender thus gets many messages per write system call, and Netty gets no task per message.
 *
 * <p>Back-pressure: the queue is bounded in bytes by the connection's outbox (see {@link Connection#reserve}), and
 * the drain hands frames to Netty only while the channel is writable (below its high water mark). When it is not,
 * the drain parks with its flag still set, so senders schedule nothing more, and frames wait in the queue until
 * {@link #resume} (writable again) or the channel's close (which releases them). The room a batch took is given
 * back once the socket took the batch, through one promise per flush, not one per frame.
 */
final class Lane {
    final Channel channel;
    final String peer;
    final long peerCreation;
    final int maxMessage;
    /** What the peer speaks beyond the first release's wire. */
    final Features features;

    final Connection connection;
    private final MpscUnboundedXaddArrayQueue<ByteBuf> outbox = new MpscUnboundedXaddArrayQueue<>(1024);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;

    Lane(Channel channel, String peer, long peerCreation, int maxMessage, Features features, Connection connection) {
        this.channel = channel;
        this.peer = peer;
        this.peerCreation = peerCreation;
        this.maxMessage = maxMessage;
        this.features = features;
        this.connection = connection;
        // on the event loop: frames still queued (a parked drain) are released and their room given back
        channel.closeFuture().addListener(f -> drain());
    }

    /** Whether both ends of this lane speak {@code feature}. */
    boolean speaks(String feature) {
        return Features.SPOKEN.contains(feature) && features.names().contains(feature);
    }

    /**
     * Queues {@code frame} for the peer; it is released and {@link OutboxFullException} thrown when the
     * connection's outbox has no room for it.
     */
    void send(ByteBuf frame) {
        connection.reserve(frame);
        connection.countOut(frame.readableBytes());
        outbox.offer(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    /** The channel is writable again (on the event loop): a parked drain goes on. */
    void resume() {
        if (!outbox.isEmpty()) {
            drain();
        }
    }

    /** On the event loop only. */
    private void drain() {
        while (true) {
            boolean active = channel.isActive();
            long batch = 0;
            long dropped = 0;
            ByteBuf last = null; // held back to carry the batch's promise
            ByteBuf f;
            while ((!active || channel.isWritable()) && (f = outbox.poll()) != null) {
                if (!active) {
                    dropped += f.readableBytes();
                    f.release();
                    continue;
                }
                if (last != null) {
                    channel.write(last, channel.voidPromise());
                }
                last = f;
                batch += f.readableBytes();
            }
            if (last != null) {
                long written = batch;
                // completes when the socket took the batch, or failed it (the lane closed): either way it is gone
                channel.write(last, channel.newPromise().addListener(done -> connection.sent(written)));
                channel.flush();
                connection.counters.writes.increment();
            }
            if (dropped > 0) {
                connection.sent(dropped);
            }
            if (channel.isActive() && !channel.isWritable() && !outbox.isEmpty()) {
                return; // parked: the flag stays set until resume() or the close drains again
            }
            drainScheduled.set(false);
            // a sender that found the flag still set relies on us: look once more
            if (outbox.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
