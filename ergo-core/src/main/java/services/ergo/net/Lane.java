package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * One authenticated TCP connection to a peer, one lane of the pool that carries a {@link Connection} (Artery's
 * word; "link" is kept for process links). Senders on any thread put frames in the lane's queue; the first one to
 * find no drain pending schedules one on the event loop, which writes everything queued and flushes once. A busy
 * sender thus gets many messages per write system call, and Netty gets no task per message.
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
    }

    /** Whether both ends of this lane speak {@code feature}. */
    boolean speaks(String feature) {
        return Features.SPOKEN.contains(feature) && features.names().contains(feature);
    }

    void send(ByteBuf frame) {
        connection.countOut(frame.readableBytes());
        outbox.offer(frame);
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(drain);
        }
    }

    private void drain() {
        while (true) {
            ByteBuf f;
            boolean wrote = false;
            while ((f = outbox.poll()) != null) {
                if (channel.isActive()) {
                    channel.write(f, channel.voidPromise());
                    wrote = true;
                } else {
                    f.release();
                }
            }
            if (wrote) {
                channel.flush();
                connection.counters.writes.increment();
            }
            drainScheduled.set(false);
            // a sender that found the flag still set relies on us: look once more
            if (outbox.isEmpty() || !drainScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }
}
