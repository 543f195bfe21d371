package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.testing.TestRegistrar;

/**
 * What two nodes of this release agree after the handshake: the features both speak, and the message types each
 * registered (told again when one is registered later), with fingerprints that tell a changed schema apart.
 */
class FeaturesTest {
    record Order(long id, String item) {}

    record Invoice(long id) {}

    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    private Node start(String name) {
        Node n = Ergo.startNode(
                name + "@localhost",
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("features")
                        .network(NetworkOptions.on().withPort(0))
                        .build());
        nodes.add(n);
        return n;
    }

    @Test
    void bothSidesAgreeOnFeaturesAndLearnEachOthersTypesAlsoWhenRegisteredLater() {
        Node a = start("features-a");
        Node b = start("features-b");
        a.network().registerType(Order.class);
        a.network().connect(b.name());

        NetworkService an = (NetworkService) a.network();
        NetworkService bn = (NetworkService) b.network();
        assertThat(an.lanes(b.name())).allMatch(l -> l.speaks(Features.KEEPALIVE) && l.speaks(Features.TYPES));
        await().untilAsserted(() -> assertThat(bn.peerTypes(a.name()))
                .containsEntry(Order.class.getName(), TypeFingerprint.of(Order.class)));

        a.network().registerType(Invoice.class);
        await().untilAsserted(() -> assertThat(bn.peerTypes(a.name())).containsKey(Invoice.class.getName()));
    }

    /**
     * A relay on the path that changes the dialer's features block (here its last byte, in a feature's name): the
     * proofs cover both blocks, so the handshake fails instead of running with features the dialer never offered.
     */
    @Test
    void aFeaturesBlockChangedOnThePathFailsTheHandshake() throws Exception {
        Node a = Ergo.startNode(
                "features-e@localhost",
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie("features")
                        .network(NetworkOptions.on().withPort(0).withPoolSize(1))
                        .build());
        nodes.add(a);
        Node b = start("features-f");
        try (java.net.ServerSocket relay = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket in = relay.accept();
                        java.net.Socket out = new java.net.Socket(
                                "127.0.0.1", b.network().acceptor().port())) {
                    java.io.DataInputStream fromDialer = new java.io.DataInputStream(in.getInputStream());
                    int len = fromDialer.readInt();
                    byte[] hello = fromDialer.readNBytes(len);
                    hello[hello.length - 1] ^= 1;
                    java.io.DataOutputStream toAcceptor = new java.io.DataOutputStream(out.getOutputStream());
                    toAcceptor.writeInt(len);
                    toAcceptor.write(hello);
                    Thread back = new Thread(() -> {
                        try {
                            out.getInputStream().transferTo(in.getOutputStream());
                        } catch (java.io.IOException ignored) {
                            // closed
                        }
                    });
                    back.start();
                    fromDialer.transferTo(toAcceptor);
                } catch (java.io.IOException ignored) {
                    // one side hung up
                }
            });
            t.start();
            a.network().addRoute(b.name(), new services.ergo.gen.NetworkRoute("127.0.0.1", relay.getLocalPort()));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.network().connect(b.name()))
                    .hasMessageContaining("wrong cookie");
            t.join(10_000);
        }
    }

    @Test
    void aFingerprintFollowsTheSchemaNotTheClassObject() {
        assertThat(TypeFingerprint.of(Order.class)).isEqualTo(TypeFingerprint.of(Order.class));
        assertThat(TypeFingerprint.of(Order.class)).isNotEqualTo(TypeFingerprint.of(Invoice.class));
    }

    @Test
    void aFeaturesBlockRoundTripsAndAnOlderPeerHasNone() {
        byte[] id = new byte[Features.ID_BYTES];
        id[3] = 7;
        ByteBuf b = Unpooled.buffer();
        Features.mine(id).write(b);
        Features read = Features.read(b);
        assertThat(read.names()).containsExactlyInAnyOrderElementsOf(Features.SPOKEN);
        assertThat(read.connectionId()).isEqualTo(id);
        assertThat(Features.read(Unpooled.EMPTY_BUFFER)).isEqualTo(Features.NONE);
        assertThat(Features.shared(Features.mine(id), Features.NONE, Features.KEEPALIVE))
                .isFalse();
    }

    @Test
    void aPeerTellingMoreTypesThanAnyApplicationHasIsCutOff() {
        Node a = start("features-c");
        Node b = start("features-d");
        a.network().connect(b.name());
        Lane lane = ((NetworkService) a.network()).lanes(b.name()).get(0);
        ByteBuf types = Unpooled.buffer();
        types.writeInt(0);
        types.writeByte(Wire.TYPES);
        types.writeInt(Connection.MAX_PEER_TYPES + 1);
        lane.channel.writeAndFlush(NetworkService.sealed(types));
        await().atMost(Duration.ofSeconds(10)).until(() -> !lane.channel.isActive());
        assertThat(b.network().stats(null).protocolErrors()).isPositive();
    }
}
