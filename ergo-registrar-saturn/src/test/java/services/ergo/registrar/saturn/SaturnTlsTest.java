package services.ergo.registrar.saturn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.tcp.TcpClient;
import reactor.netty.tcp.TcpServer;
import services.ergo.Ergo;
import services.ergo.gen.ErgoException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.saturn.server.SaturnTls;

/** The registrar over TLS: verified, refused when unverified, and a relay in the middle cannot pass the proofs. */
class SaturnTlsTest {
    private SelfSignedCertificate serverCertificate;
    private SaturnServer server;
    private final List<Node> nodes = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        serverCertificate = new SelfSignedCertificate("localhost");
        server = SaturnServer.start(SaturnServerOptions.defaults()
                .withClusters(Map.of("prod", SaturnRegistrarTest.TOKEN))
                .withTls(new SaturnTls(
                        serverCertificate.certificate().toPath(),
                        serverCertificate.privateKey().toPath())));
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
        server.close();
        serverCertificate.delete();
    }

    private Node start(String name, String address, SaturnClientTls tls) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie("saturn")
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new SaturnRegistrar(SaturnRegistrarTest.options(address)
                                .withTls(tls)
                                .withRegisterTimeout(Duration.ofSeconds(2))))
                        .build());
        nodes.add(n);
        return n;
    }

    @Test
    void nodesRegisterOverVerifiedTls() {
        SaturnClientTls trusted =
                SaturnClientTls.trusting(serverCertificate.certificate().toPath());
        Node a = start("a@localhost", "localhost:" + server.port(), trusted);
        Node b = start("b@localhost", "localhost:" + server.port(), trusted);
        await().atMost(SaturnRegistrarTest.WAIT)
                .until(() -> a.network().registrar().nodes().equals(List.of("a@localhost", "b@localhost")));
        assertThat(b.network().registrar().resolve("a@localhost"))
                .contains(a.network().acceptor());
    }

    @Test
    void anUnverifiedCertificateStopsTheStart() {
        assertThatThrownBy(() -> start("a@localhost", "localhost:" + server.port(), SaturnClientTls.verified()))
                .isInstanceOf(ErgoException.class)
                .hasMessageContaining("TLS handshake failed for node a@localhost")
                .hasMessageContaining("ergo.registrar.saturn.tls");
        assertThat(server.entries("prod")).isEmpty();
    }

    @Test
    void aRelayThatTerminatesTlsWithItsOwnCertificateCannotPassTheProofsOn() throws Exception {
        SelfSignedCertificate relayCertificate = new SelfSignedCertificate("localhost");
        SslContext relayServer = SslContextBuilder.forServer(
                        relayCertificate.certificate(), relayCertificate.privateKey())
                .build();
        SslContext relayClient = SslContextBuilder.forClient()
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .endpointIdentificationAlgorithm(null)
                .build();
        int target = server.port();
        DisposableServer relay = TcpServer.create()
                .host("127.0.0.1")
                .port(0)
                .secure(spec -> spec.sslContext(relayServer))
                .handle((in, out) -> TcpClient.create()
                        .host("localhost")
                        .port(target)
                        .secure(spec -> spec.sslContext(relayClient))
                        .connect()
                        .flatMap(upstream -> Mono.when(
                                        upstream.outbound()
                                                .send(in.receive().retain())
                                                .then(),
                                        out.send(upstream.inbound().receive().retain())
                                                .then())
                                .doFinally(s -> upstream.dispose())))
                .bindNow();
        try {
            // a client that trusts anything (development) still sees the relay's certificate, not the server's
            assertThatThrownBy(
                            () -> start("a@localhost", "127.0.0.1:" + relay.port(), SaturnClientTls.insecureTrustAny()))
                    .isInstanceOf(ErgoException.class)
                    .hasMessageContaining("did not prove the token");
            assertThat(server.entries("prod")).isEmpty();
            // the same client straight to the server: the proofs verify
            start("a@localhost", "localhost:" + server.port(), SaturnClientTls.insecureTrustAny());
            assertThat(server.entries("prod")).hasSize(1);
        } finally {
            relay.disposeNow();
            relayCertificate.delete();
        }
    }
}
