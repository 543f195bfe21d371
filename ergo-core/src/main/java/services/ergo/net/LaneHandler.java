package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NodeNames;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.node.MailboxQueue;

/**
 * Frames from an authenticated peer, on the lane's event loop: each is decoded and handed to the local node,
 * which only queues it, so the event loop never runs user code. A frame that breaks the protocol closes the lane.
 */
final class LaneHandler extends ChannelInboundHandlerAdapter {
    private final NetworkService service;
    private final Lane lane;
    private final ForyCodec.Decoder decoder;

    private final String localName;
    /** The keepalive's pings, when the peer speaks it. */
    private io.netty.util.concurrent.@Nullable ScheduledFuture<?> pings;

    LaneHandler(NetworkService service, Lane lane) {
        this.service = service;
        this.lane = lane;
        this.decoder = service.codec().newDecoder();
        this.localName = service.nodeName();
    }

    /**
     * The lane is up: with a peer that speaks them, a keepalive watches it (a ping when there is nothing to send,
     * closed when the peer stays silent for {@code keepaliveMisses} intervals) and the peer learns the message
     * types registered here.
     */
    void started(ChannelHandlerContext ctx) {
        if (lane.speaks(Features.KEEPALIVE)) {
            long interval = service.options().keepaliveInterval().toMillis();
            // reads only: an IdleStateHandler that watches writes turns every write's void promise into a real one
            // with a listener, which cost the 1:1 tell benchmark about a tenth of its rate; a ping every interval,
            // busy or not, is a few bytes per lane and needs no watching
            ctx.pipeline()
                    .addBefore(
                            ctx.name(),
                            "keepalive",
                            new IdleStateHandler(
                                    interval * service.options().keepaliveMisses(), 0, 0, TimeUnit.MILLISECONDS));
            pings = ctx.executor()
                    .scheduleAtFixedRate(
                            () -> ctx.writeAndFlush(
                                    NetworkService.sealed(service.frame(ctx.alloc(), Wire.PING)), ctx.voidPromise()),
                            interval,
                            interval,
                            TimeUnit.MILLISECONDS);
        }
        if (lane.speaks(Features.TYPES)) {
            ctx.writeAndFlush(service.typesFrame(ctx.alloc(), service.types()), ctx.voidPromise());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                service.refused(
                        NetworkService.REFUSED_SILENT_LANE,
                        "node {}: closing the lane to {}: silent for {} keepalive intervals",
                        localName,
                        lane.peer,
                        service.options().keepaliveMisses());
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    /**
     * A frame's sender is a process of the lane's peer, of the incarnation that proved itself: a peer that holds
     * the cookie still speaks only for itself.
     */
    private Pid sender(ByteBuf in) {
        Pid from = Wire.readPid(in);
        if (!from.node().equals(lane.peer) || from.creation() != lane.peerCreation) {
            throw new ProtocolException("a frame from " + lane.peer + " names the sender " + printable(from)
                    + ", which is not one of its processes");
        }
        return from;
    }

    /** A frame's target is on this node: a peer never relays through it. */
    private Object target(ByteBuf in) {
        Object to = Wire.readTarget(in);
        if (!localName.equals(nodeOf(to))) {
            throw new ProtocolException(
                    "a frame from " + lane.peer + " is for " + printable(to) + ", which is not on " + localName);
        }
        return to;
    }

    private Pid localPid(ByteBuf in) {
        Pid to = Wire.readPid(in);
        if (!localName.equals(to.node())) {
            throw new ProtocolException(
                    "a frame from " + lane.peer + " is for " + printable(to) + ", which is not on " + localName);
        }
        return to;
    }

    private static String nodeOf(Object target) {
        if (target instanceof Pid p) {
            return p.node();
        }
        if (target instanceof ProcessId id) {
            return id.node();
        }
        return ((services.ergo.gen.Alias) target).node();
    }

    private static String printable(Object o) {
        return NodeNames.printable(String.valueOf(o));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            int bytes = in.readableBytes() + 4;
            byte type = Wire.readByte(in, "frame type");
            if (type != Wire.TYPES && type != Wire.PING) {
                lane.connection.countIn(bytes); // the lane's own bookkeeping is not traffic
            }
            byte base = (byte) (type & ~Wire.COMPRESSED);
            boolean compressed = (type & Wire.COMPRESSED) != 0
                    && (base == Wire.SEND || base == Wire.REQUEST || base == Wire.SEND_IMPORTANT);
            if (compressed) {
                type = base;
            }
            if (type >= Wire.EXIT && type <= Wire.DOWN) {
                control(type, in);
                return;
            }
            switch (type) {
                case Wire.SEND -> {
                    Pid from = sender(in);
                    Object to = target(in);
                    MailboxQueue queue = readQueue(in);
                    Object message = payload(ctx, in, compressed);
                    try {
                        service.core().sendFromRemote(from, to, message, queue);
                    } catch (ErgoException e) {
                        service.undelivered(lane.peer, to, e);
                    }
                }
                case Wire.SEND_IMPORTANT -> {
                    Pid from = sender(in);
                    Object to = target(in);
                    Ref ref = Wire.readRef(in);
                    MailboxQueue queue = readQueue(in);
                    Object message = payload(ctx, in, compressed);
                    Pid core = service.core().corePid();
                    try {
                        service.core().sendFromRemote(from, to, message, queue);
                        service.respond(lane.peer, core, from, ref, Boolean.TRUE, null);
                    } catch (ErgoException e) {
                        service.undelivered(lane.peer, to, e);
                        service.respond(lane.peer, core, from, ref, null, e);
                    }
                }
                case Wire.REQUEST -> {
                    Pid from = sender(in);
                    Object to = target(in);
                    Ref ref = Wire.readRef(in);
                    Object request = payload(ctx, in, compressed);
                    service.core().callFromRemote(from, to, request, ref);
                }
                case Wire.RESPONSE -> {
                    Pid from = sender(in);
                    Pid to = localPid(in);
                    Ref ref = Wire.readRef(in);
                    boolean ok = Wire.readByte(in, "response kind") == 1;
                    if (ok) {
                        Object value = decoder.decode(in, in.readableBytes());
                        service.core().respondFromRemote(from, to, ref, value, null);
                    } else {
                        String type2 = Wire.readString(in);
                        String text = Wire.readString(in);
                        service.core().respondFromRemote(from, to, ref, null, RemoteErrors.of(type2, text));
                    }
                }
                case Wire.SPAWN -> {
                    Pid from = sender(in);
                    Ref ref = Wire.readRef(in);
                    String name = Wire.readString(in);
                    String registerAs = Wire.readString(in);
                    int mailboxSize = Wire.readInt(in, "mailbox size");
                    Object args = decoder.decode(in, in.readableBytes());
                    if (!(args instanceof java.util.List<?> list) || mailboxSize < 0) {
                        throw new ProtocolException("malformed spawn request");
                    }
                    service.remoteOps().spawn(lane.peer, from, ref, name, registerAs, mailboxSize, list);
                }
                case Wire.APPLICATION_START -> {
                    Pid from = sender(in);
                    Ref ref = Wire.readRef(in);
                    String name = Wire.readString(in);
                    int mode = Wire.readByte(in, "mode");
                    if (mode < 0 || mode >= services.ergo.gen.ApplicationMode.values().length) {
                        throw new ProtocolException("application mode " + mode);
                    }
                    service.remoteOps()
                            .applicationStart(
                                    lane.peer, from, ref, name, services.ergo.gen.ApplicationMode.values()[mode]);
                }
                case Wire.TYPES -> {
                    if (!lane.speaks(Features.TYPES)) {
                        throw new ProtocolException("a types frame, which was not agreed in the handshake");
                    }
                    int count = Wire.readInt(in, "type count");
                    if (count < 0 || count > Connection.MAX_PEER_TYPES) {
                        throw new ProtocolException(count + " message types");
                    }
                    java.util.Map<String, Long> told = new java.util.HashMap<>();
                    for (int i = 0; i < count; i++) {
                        told.put(Wire.readString(in), Wire.readLong(in, "fingerprint"));
                    }
                    service.peerTypes(lane, told);
                }
                case Wire.PING -> {
                    if (!lane.speaks(Features.KEEPALIVE)) {
                        throw new ProtocolException("a ping, which was not agreed in the handshake");
                    }
                }
                default -> throw new ProtocolException("unknown frame type " + type);
            }
        } catch (ProtocolException e) {
            service.protocolError(ctx.channel(), lane.peer, e.getMessage());
            ctx.close();
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pings != null) {
            pings.cancel(false);
        }
        service.laneDown(lane);
        ctx.fireChannelInactive();
    }

    /** Below the low water mark again: the lane's drain, parked while Netty held too much, goes on. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            lane.resume();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof java.io.IOException) {
            // the peer went away or the lane was closed under a write: not an attack, just the end of the lane
            org.slf4j.LoggerFactory.getLogger(LaneHandler.class)
                    .debug("lane to {} ended: {}", lane.peer, cause.toString());
        } else {
            service.protocolError(ctx.channel(), lane.peer, String.valueOf(cause));
        }
        ctx.close();
    }

    /**
     * Exit, link, unlink, monitor, demonitor and down: headers only, no payload, so a byte past the last field
     * means the frame is not what its type says. Read whole and checked before anything is done.
     */
    private void control(byte type, ByteBuf in) {
        Pid from = sender(in);
        Object to = target(in);
        Ref ref = type == Wire.MONITOR || type == Wire.DEMONITOR || type == Wire.DOWN ? Wire.readRef(in) : null;
        Reason reason = type == Wire.EXIT || type == Wire.DOWN ? Reason.of(Wire.readString(in)) : null;
        String fromName = type == Wire.EXIT ? Wire.readString(in) : null;
        if (in.isReadable()) {
            throw new ProtocolException("frame type " + type + " has " + in.readableBytes() + " bytes past its end");
        }
        var node = service.core();
        switch (type) {
            case Wire.EXIT -> node.exitFromRemote(from, to, reason, fromName.isEmpty() ? null : fromName);
            case Wire.LINK -> node.linkFromRemote(from, to);
            case Wire.UNLINK -> node.unlinkFromRemote(from, to);
            case Wire.MONITOR -> node.monitorFromRemote(from, to, ref);
            case Wire.DEMONITOR -> node.demonitorFromRemote(from, to, ref);
            case Wire.DOWN -> node.downFromRemote(from, targetPid(to), ref, reason);
            default -> throw new ProtocolException("frame type " + type);
        }
    }

    /** The mailbox queue a message goes to: main, urgent or system; anything else breaks the protocol. */
    private static MailboxQueue readQueue(ByteBuf in) {
        int b = Wire.readByte(in, "queue");
        MailboxQueue queue = MailboxQueue.fromWire(b);
        if (queue == null) {
            throw new ProtocolException("queue " + b);
        }
        return queue;
    }

    private @Nullable Object payload(ChannelHandlerContext ctx, ByteBuf in, boolean compressed) {
        if (!compressed) {
            return decoder.decode(in, in.readableBytes());
        }
        ByteBuf plain = PayloadCompression.inflate(in, service.options().maxMessageSize(), ctx.alloc());
        try {
            return decoder.decode(plain, plain.readableBytes());
        } finally {
            plain.release();
        }
    }

    private static Pid targetPid(Object target) {
        if (target instanceof Pid p) {
            return p;
        }
        throw new ProtocolException("a down message must name its owner by pid, got " + target);
    }
}
