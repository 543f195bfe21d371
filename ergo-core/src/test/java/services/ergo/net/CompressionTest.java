package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.Compression;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.testing.Reporter;
import services.ergo.testing.TestRegistrar;

class CompressionTest {
    private final Node a = node("z-a@localhost");
    private final Node b = node("z-b@localhost");

    private static Node node(String name) {
        return Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("z")
                        .network(NetworkOptions.on().withPort(0).withMaxMessageSize(1 << 20))
                        .build());
    }

    @AfterEach
    void stop() {
        a.stopForce();
        b.stopForce();
    }

    /** Sends {target, payload} pairs on command, with the compression the test set; reports what it receives. */
    static final class Shipper extends Reporter {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            if (request instanceof Compression c) {
                setCompression(c);
                return compression();
            }
            Object[] cmd = (Object[]) request;
            send(cmd[0], cmd[1]);
            return "sent";
        }

        @Override
        protected void handleMessage(Pid from, Object message) {
            report(message);
        }
    }

    private long bytesOut() {
        return a.network().stats(b.name()).bytesOut();
    }

    @Test
    void aProcessThatAsksCompressesWhatIsOverTheThresholdAndItArrivesWhole() throws Exception {
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        b.spawnRegister("sink", Shipper::new, ProcessOptions.defaults(), got);
        Pid shipper = a.spawn(Shipper::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        ProcessId sink = new ProcessId("sink", b.name());
        String document = "the quick brown fox jumps over the lazy dog. ".repeat(4000); // 180 KB, compressible

        a.call(shipper, new Object[] {sink, "hello"}); // connect first, so the counts below are the messages alone
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("hello");

        long before = bytesOut();
        a.call(shipper, new Object[] {sink, document});
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(document);
        long plain = bytesOut() - before;
        assertThat(plain).isGreaterThan(document.length());

        assertThat(a.call(shipper, Compression.on())).isEqualTo(Compression.on());
        before = bytesOut();
        a.call(shipper, new Object[] {sink, document});
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo(document);
        long compressed = bytesOut() - before;
        System.out.printf("180 KB of text: %d bytes plain, %d compressed%n", plain, compressed);
        assertThat(compressed).isLessThan(plain / 20);

        // under the threshold it travels as it is; the message still arrives
        before = bytesOut();
        a.call(shipper, new Object[] {sink, "short"});
        assertThat(got.poll(5, TimeUnit.SECONDS)).isEqualTo("short");
        assertThat(bytesOut() - before).isLessThan(200);

        assertThat(a.call(shipper, Compression.off())).isEqualTo(Compression.off());
        assertThatThrownBy(() -> Compression.on().withLevel(0)).hasMessageContaining("level must be 1..9");
        assertThatThrownBy(() -> Compression.on().withThreshold(-1)).hasMessageContaining("threshold");
    }

    @Test
    void aCompressedFrameThatLiesAboutItsSizeClosesTheLinkAndNothingElse() {
        BlockingQueue<Object> got = new LinkedBlockingQueue<>();
        b.spawnRegister("sink", Shipper::new, ProcessOptions.defaults(), got);
        a.send(new ProcessId("sink", b.name()), "warm up");
        NetworkService net = (NetworkService) a.network();
        byte[][] lies = {
            frame(Integer.MAX_VALUE, new byte[] {1, 2, 3}), // a zip bomb's promise
            frame(1000, new byte[] {1, 2, 3}), // not deflate
            frame(-5, new byte[0]),
        };
        long errors = b.network().stats(null).protocolErrors();
        for (byte[] lie : lies) {
            await().until(() -> {
                try {
                    net.connect(b.name());
                    return !net.lanes(b.name()).isEmpty();
                } catch (RuntimeException notYet) {
                    return false;
                }
            });
            Lane lane = net.lanes(b.name()).get(0);
            lane.channel.writeAndFlush(Unpooled.wrappedBuffer(lie));
            lane.channel.closeFuture().awaitUninterruptibly(5000);
            assertThat(lane.channel.isActive()).isFalse();
            // a send picks among the links the connection still lists: wait until the closed one is gone from it,
            // or the last message below may be handed to it and dropped
            await().until(() -> !net.lanes(b.name()).contains(lane));
        }
        assertThat(b.network().stats(null).protocolErrors()).isEqualTo(errors + lies.length);
        a.send(new ProcessId("sink", b.name()), "still served");
        await().atMost(Duration.ofSeconds(5)).until(() -> "still served".equals(got.poll()));
    }

    /** A SEND frame from a made-up pid to "sink" with a compressed payload that claims {@code declared} bytes. */
    private byte[] frame(int declared, byte[] packed) {
        ByteBuf f = Unpooled.buffer();
        f.writeInt(0);
        f.writeByte(Wire.SEND | Wire.COMPRESSED);
        Wire.writePid(f, new Pid(a.name(), 1234, a.creation()));
        Wire.writeTarget(f, new ProcessId("sink", b.name()));
        f.writeByte(0);
        f.writeInt(declared);
        f.writeBytes(packed);
        f.setInt(0, f.readableBytes() - 4);
        byte[] out = new byte[f.readableBytes()];
        f.readBytes(out);
        return out;
    }
}
