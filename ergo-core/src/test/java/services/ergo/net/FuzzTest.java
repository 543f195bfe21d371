package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.testing.TestRegistrar;

/**
 * Throws random and mutated frames at a live node for 30 seconds: at its acceptor before any handshake, and over
 * authenticated links after one. Each bad frame must cost the sender its connection and nothing more: afterwards
 * the node still answers a remote call. The seed is printed, so a failure can be replayed.
 */
class FuzzTest {
    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final Duration RAW_PHASE = Duration.ofSeconds(10);
    private static final Duration LINK_PHASE = Duration.ofSeconds(20);

    record Job(long id, String payload) {}

    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request;
        }

        @Override
        protected void handleMessage(Pid from, Object message) {}
    }

    private static Node start(String name) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("fuzz")
                        .network(NetworkOptions.on()
                                .withPort(0)
                                .withMaxMessageSize(64 * 1024)
                                .withHandshakeTimeout(Duration.ofMillis(500)))
                        .build());
        n.network().registerType(Job.class);
        return n;
    }

    @Test
    void thirtySecondsOfHostileInputLeaveTheNodeServing() throws Exception {
        System.out.println("fuzz seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        Random random = new Random(SEED);
        Node target = start("target@localhost");
        Node attacker = start("attacker@localhost");
        try {
            target.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
            attacker.network().addRoute(target.name(), target.network().acceptor());
            ProcessId echo = new ProcessId("echo", target.name());
            assertThat(attacker.call(echo, new Job(0, "before"))).isEqualTo(new Job(0, "before"));
            int port = target.network().acceptor().port();

            List<byte[]> valid = validFrames(attacker, target);
            long rawConnections = rawPhase(random, port, valid);
            long linkFrames = linkPhase(random, attacker, target, valid);

            // the attacker's own links may hold half a frame the target still waits for: start afresh, as a real
            // node would after closing a link it broke
            attacker.network().disconnect(target.name());
            org.awaitility.Awaitility.await()
                    .until(() -> target.network().nodes().isEmpty());
            // a fresh process: frames that parse are obeyed, and a mutated one may be a valid exit signal to "echo"
            target.spawnRegister("echo-after", Echo::new, ProcessOptions.defaults());
            assertThat(attacker.call(
                            new ProcessId("echo-after", target.name()), new Job(1, "after"), Duration.ofSeconds(5)))
                    .isEqualTo(new Job(1, "after"));
            System.out.println(
                    "fuzz: the first echo process " + (target.whereIs("echo") != null ? "lived" : "was ended"));
            var stats = target.network().stats(null);
            System.out.printf(
                    "fuzz: %d raw connections, %d frames over links; target counted %d handshake failures, "
                            + "%d protocol errors%n",
                    rawConnections, linkFrames, stats.handshakeFailures(), stats.protocolErrors());
            assertThat(stats.handshakeFailures()).isPositive();
            assertThat(stats.protocolErrors()).isPositive();
            assertThat(target.isAlive()).isTrue();
        } finally {
            attacker.stopForce();
            target.stopForce();
        }
    }

    /** Frames a real node would send, to mutate: a message, a call, a hello; then forged ones. */
    private static List<byte[]> validFrames(Node attacker, Node target) {
        ForyCodec codec = new ForyCodec();
        codec.register(Job.class);
        List<byte[]> frames = new ArrayList<>();
        Pid from = new Pid(attacker.name(), 1001, attacker.creation());
        for (byte type : new byte[] {Wire.SEND, Wire.REQUEST, Wire.HELLO}) {
            ByteBuf b = Unpooled.buffer();
            b.writeInt(0);
            b.writeByte(type);
            if (type == Wire.HELLO) {
                b.writeInt(Wire.MAGIC);
                b.writeByte(Wire.VERSION);
                Wire.writeString(b, attacker.name());
                b.writeLong(attacker.creation());
                b.writeBytes(new byte[Wire.NONCE_BYTES]);
                b.writeInt(65536);
            } else {
                Wire.writePid(b, from);
                Wire.writeTarget(b, new ProcessId("echo", target.name()));
                if (type == Wire.REQUEST) {
                    Wire.writeRef(b, new Ref(attacker.name(), 5, attacker.creation()));
                } else {
                    b.writeByte(2);
                }
                codec.encode(new Job(42, "payload"), b);
            }
            b.setInt(0, b.readableBytes() - 4);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            frames.add(bytes);
        }
        // and what a peer holding the cookie would forge: senders of other nodes, answers, downs and exits
        Pid forged = new Pid("victim@localhost", 1001, 1);
        for (byte type : new byte[] {Wire.SEND, Wire.RESPONSE, Wire.DOWN, Wire.EXIT, Wire.SPAWN}) {
            ByteBuf b = Unpooled.buffer();
            b.writeInt(0);
            b.writeByte(type);
            Wire.writePid(b, type == Wire.SEND || type == Wire.SPAWN ? forged : from);
            switch (type) {
                case Wire.SEND -> {
                    Wire.writeTarget(b, new ProcessId("echo", target.name()));
                    b.writeByte(2);
                    codec.encode(new Job(43, "forged"), b);
                }
                case Wire.RESPONSE -> {
                    Wire.writePid(b, new Pid(target.name(), 1000, target.creation()));
                    Wire.writeRef(b, new Ref(target.name(), 1, target.creation()));
                    b.writeByte(1);
                    codec.encode("forged", b);
                }
                case Wire.DOWN, Wire.EXIT -> {
                    Wire.writeTarget(b, new Pid(target.name(), 1000, target.creation()));
                    if (type == Wire.DOWN) {
                        Wire.writeRef(b, new Ref(target.name(), 1, target.creation()));
                    }
                    Wire.writeString(b, "kill");
                    if (type == Wire.EXIT) {
                        Wire.writeString(b, "");
                    }
                }
                default -> {
                    Wire.writeRef(b, new Ref("victim@localhost", 1, 1));
                    Wire.writeString(b, "echo");
                    Wire.writeString(b, "");
                    b.writeInt(0);
                    codec.encode(List.of(), b);
                }
            }
            b.setInt(0, b.readableBytes() - 4);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            frames.add(bytes);
        }
        return frames;
    }

    private static byte[] mutate(Random random, List<byte[]> valid) {
        int kind = random.nextInt(5);
        if (kind == 0) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            return junk;
        }
        byte[] f = valid.get(random.nextInt(valid.size())).clone();
        switch (kind) {
            case 1 -> { // flip bytes
                for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
                    f[random.nextInt(f.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 2 -> { // truncate the body but keep the claimed length: the frame waits, or lies
                int keep = 4 + random.nextInt(f.length - 4);
                byte[] t = new byte[keep];
                System.arraycopy(f, 0, t, 0, keep);
                t[3] = (byte) (keep - 4);
                f = t;
            }
            case 3 -> { // a huge or negative length
                int len = random.nextBoolean() ? Integer.MAX_VALUE - random.nextInt(100) : -1 - random.nextInt(100);
                f[0] = (byte) (len >>> 24);
                f[1] = (byte) (len >>> 16);
                f[2] = (byte) (len >>> 8);
                f[3] = (byte) len;
            }
            default -> f[4] = (byte) random.nextInt(256); // any frame type
        }
        return f;
    }

    private static long rawPhase(Random random, int port, List<byte[]> valid) throws Exception {
        long deadline = System.nanoTime() + RAW_PHASE.toNanos();
        long n = 0;
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 100; i++) { // a flood that never speaks: cut by the handshake timeout
                idle.add(new Socket("localhost", port));
            }
            while (System.nanoTime() < deadline) {
                try (Socket s = new Socket("localhost", port)) {
                    s.setSoLinger(true, 0);
                    OutputStream out = s.getOutputStream();
                    for (int i = 0, frames = 1 + random.nextInt(3); i < frames; i++) {
                        out.write(mutate(random, valid));
                    }
                    out.flush();
                } catch (java.io.IOException closedOnUs) {
                    // the node hung up mid-write: what it should do
                }
                n++;
            }
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        return n;
    }

    /** Mutated frames written straight into authenticated links, past the sender's own checks. */
    private static long linkPhase(Random random, Node attacker, Node target, List<byte[]> valid) {
        NetworkService net = (NetworkService) attacker.network();
        long deadline = System.nanoTime() + LINK_PHASE.toNanos();
        long n = 0;
        while (System.nanoTime() < deadline) {
            try {
                net.connect(target.name());
            } catch (RuntimeException notYet) {
                continue;
            }
            for (Lane lane : net.lanes(target.name())) {
                if (!lane.channel.isActive()) {
                    continue;
                }
                byte[] f = mutate(random, valid);
                lane.channel.writeAndFlush(Unpooled.wrappedBuffer(f));
                n++;
                // give the target the time to judge it: a frame that closes the link should close it
                lane.channel.closeFuture().awaitUninterruptibly(2);
            }
        }
        return n;
    }
}
