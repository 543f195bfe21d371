package services.ergo.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Pid;
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

    LaneHandler(NetworkService service, Lane lane) {
        this.service = service;
        this.lane = lane;
        this.decoder = service.codec().newDecoder();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            lane.connection.countIn(in.readableBytes() + 4);
            byte type = Wire.readByte(in, "frame type");
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
                    Pid from = Wire.readPid(in);
                    Object to = Wire.readTarget(in);
                    MailboxQueue queue = readQueue(in);
                    Object message = payload(ctx, in, compressed);
                    try {
                        service.core().sendFromRemote(from, to, message, queue);
                    } catch (ErgoException e) {
                        service.undelivered(lane.peer, to, e);
                    }
                }
                case Wire.SEND_IMPORTANT -> {
                    Pid from = Wire.readPid(in);
                    Object to = Wire.readTarget(in);
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
                    Pid from = Wire.readPid(in);
                    Object to = Wire.readTarget(in);
                    Ref ref = Wire.readRef(in);
                    Object request = payload(ctx, in, compressed);
                    service.core().callFromRemote(from, to, request, ref);
                }
                case Wire.RESPONSE -> {
                    Pid from = Wire.readPid(in);
                    Pid to = Wire.readPid(in);
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
                    Pid from = Wire.readPid(in);
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
                    Pid from = Wire.readPid(in);
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
        Pid from = Wire.readPid(in);
        Object to = Wire.readTarget(in);
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
            case Wire.DEMONITOR -> node.demonitorFromRemote(to, ref);
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
