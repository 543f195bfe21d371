package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.TlsOptions;
import services.ergo.testing.TestRegistrar;

class TlsTest {
    private final List<Node> nodes = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        nodes.forEach(Node::stopForce);
    }

    private Node node(String name, String cookie, TlsOptions tls) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .registrar(TestRegistrar.shared())
                        .cookie(cookie)
                        .callTimeout(Duration.ofSeconds(3))
                        .network(NetworkOptions.on()
                                .withPort(0)
                                .withTls(tls)
                                .withHandshakeTimeout(Duration.ofSeconds(2)))
                        .build());
        nodes.add(n);
        n.spawnRegister("echo", Echo::new, ProcessOptions.defaults());
        return n;
    }

    static final class Echo extends Actor {
        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            return request + " from " + node().name();
        }
    }

    private static boolean encrypted(Node from, Node to) {
        List<Lane> lanes = ((NetworkService) from.network()).lanes(to.name());
        return !lanes.isEmpty()
                && lanes.stream().allMatch(l -> l.channel.pipeline().get(SslHandler.class) != null);
    }

    @Test
    void selfSignedModeEncryptsEveryLink() {
        Node a = node("tls-a@localhost", "c", TlsOptions.selfSigned());
        Node b = node("tls-b@localhost", "c", TlsOptions.selfSigned());
        assertThat(a.call(new ProcessId("echo", b.name()), "hi")).isEqualTo("hi from tls-b@localhost");
        assertThat(b.call(new ProcessId("echo", a.name()), "hi")).isEqualTo("hi from tls-a@localhost");
        assertThat(encrypted(a, b)).isTrue();
        assertThat(encrypted(b, a)).isTrue();
    }

    /** A certificate authority and the PEM files of certificates it signs, as a cluster's operator would have. */
    private final class Authority {
        final KeyPair keys;
        final X509Certificate cert;
        final Path certFile;
        private int issued;

        Authority(String name) throws Exception {
            keys = Tls.keyPair();
            cert = Tls.certificate(name, keys.getPublic(), name, keys.getPrivate(), true);
            certFile = pem(name + ".crt", "CERTIFICATE", cert.getEncoded());
        }

        /** Options with a certificate for {@code node} as it should be: it names the node and the host, localhost. */
        TlsOptions issue(String node) throws Exception {
            return issue(node, "dns:localhost", "email:" + node);
        }

        /** Options with a certificate for {@code node} carrying {@code altNames} ({@code type:value}, see Tls). */
        TlsOptions issue(String node, String... altNames) throws Exception {
            KeyPair k = Tls.keyPair();
            String issuer = cert.getSubjectX500Principal().getName().substring("CN=".length());
            X509Certificate c = Tls.certificate(node, k.getPublic(), issuer, keys.getPrivate(), false, altNames);
            String file = node + "-" + issued++;
            return TlsOptions.certificates(
                    pem(file + ".crt", "CERTIFICATE", c.getEncoded()), key(file, k.getPrivate()), certFile);
        }

        private Path key(String node, PrivateKey key) throws Exception {
            return pem(node + ".key", "PRIVATE KEY", key.getEncoded());
        }
    }

    private Path pem(String file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        Path p = dir.resolve(file);
        Files.writeString(p, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return p;
    }

    @Test
    void certificatesSignedByTheClusterAuthorityAreTrustedAndOthersAreNot() throws Exception {
        Authority cluster = new Authority("cluster-ca");
        Authority stranger = new Authority("other-ca");
        Node a = node("ca-a@localhost", "c", cluster.issue("ca-a@localhost"));
        Node b = node("ca-b@localhost", "c", cluster.issue("ca-b@localhost"));
        assertThat(a.call(new ProcessId("echo", b.name()), "signed")).isEqualTo("signed from ca-b@localhost");
        assertThat(encrypted(a, b)).isTrue();

        Node intruder = node("ca-x@localhost", "c", stranger.issue("ca-x@localhost"));
        assertThatThrownBy(() -> intruder.call(new ProcessId("echo", a.name()), "let me in"))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("TLS");
        assertThat(intruder.network().stats(a.name()).handshakeFailures()).isPositive();
        await().until(() -> a.network().stats(null).handshakeFailures() > 0);
    }

    /**
     * A node whose certificate the cluster's CA signed for another node name cannot pass for the node it claims to
     * be: the acceptor refuses such a dialer, with the reason sent back, and a dialer refuses such an acceptor.
     */
    @Test
    void aCertificateThatNamesAnotherNodeIsRefusedBothWays() throws Exception {
        Authority cluster = new Authority("cluster-ca");
        Node good = node("san-good@localhost", "c", cluster.issue("san-good@localhost"));
        // both claim a name their certificates do not carry (the one each got is for san-other)
        Node dialer = node(
                "san-dialer@localhost",
                "c",
                cluster.issue("san-dialer@localhost", "dns:localhost", "email:san-other@localhost"));
        Node acceptor = node(
                "san-acceptor@localhost",
                "c",
                cluster.issue("san-acceptor@localhost", "dns:localhost", "uri:ergo://san-other@localhost"));

        long before = good.network().stats(null).handshakeFailures();
        assertThatThrownBy(() -> dialer.call(new ProcessId("echo", good.name()), "let me in"))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("refused by san-good@localhost")
                .hasMessageContaining("certificate of san-dialer@localhost does not name it")
                .hasMessageContaining("email:san-other@localhost");
        await().until(() -> good.network().stats(null).handshakeFailures() > before);
        assertThat(dialer.network().stats(good.name()).handshakeFailures()).isPositive();

        long beforeDial = good.network().stats(null).handshakeFailures();
        assertThatThrownBy(() -> good.call(new ProcessId("echo", acceptor.name()), "who are you"))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("certificate of san-acceptor@localhost does not name it")
                .hasMessageContaining("uri:ergo://san-other@localhost");
        assertThat(good.network().stats(null).handshakeFailures()).isGreaterThan(beforeDial);
        assertThat(good.network().stats(acceptor.name()).handshakeFailures()).isPositive();
        await().until(() -> acceptor.network().stats(null).handshakeFailures() > 0);

        assertThat(good.network().nodes()).doesNotContain(dialer.name(), acceptor.name());
    }

    /** Either form names a node, the host part in any case; with the right certificates the nodes talk both ways. */
    @Test
    void aCertificateNamingItsNodeByEmailOrUriWorks() throws Exception {
        Authority cluster = new Authority("cluster-ca");
        Node a = node(
                "san-a@localhost", "c", cluster.issue("san-a@localhost", "dns:localhost", "email:san-a@LocalHost"));
        Node b = node(
                "san-b@localhost",
                "c",
                cluster.issue("san-b@localhost", "dns:localhost", "uri:ergo://san-b@localhost"));
        assertThat(a.call(new ProcessId("echo", b.name()), "hi")).isEqualTo("hi from san-b@localhost");
        assertThat(b.call(new ProcessId("echo", a.name()), "hi")).isEqualTo("hi from san-a@localhost");
        assertThat(encrypted(a, b)).isTrue();
        assertThat(a.network().stats(null).handshakeFailures()).isZero();
        assertThat(b.network().stats(null).handshakeFailures()).isZero();
    }

    @Test
    void onlyAnEmailOrErgoUriNameEqualToTheNodeNamesIt() throws Exception {
        KeyPair k = Tls.keyPair();
        String node = "worker1@Example.org";
        assertThat(names(k, node, "email:worker1@Example.org")).isTrue();
        assertThat(names(k, node, "email:worker1@example.ORG")).isTrue();
        assertThat(names(k, node, "dns:localhost", "uri:ergo://worker1@example.org"))
                .isTrue();
        assertThat(names(k, node, "uri:ERGO://worker1@example.org")).isTrue();

        assertThat(names(k, node, "email:Worker1@example.org"))
                .as("the name part is exact")
                .isFalse();
        assertThat(names(k, node, "email:worker1@example.org.evil")).isFalse();
        assertThat(names(k, node, "email:xworker1@example.org")).isFalse();
        assertThat(names(k, node, "email:worker1")).isFalse();
        assertThat(names(k, node, "uri:https://worker1@example.org")).isFalse();
        assertThat(names(k, node, "uri:ergo://worker1@example.org/")).isFalse();
        assertThat(names(k, node, "dns:worker1@example.org", "dns:example.org")).isFalse();
        assertThat(names(k, node)).as("no subject alternative names at all").isFalse();
    }

    private static boolean names(KeyPair k, String node, String... altNames) throws Exception {
        return Tls.names(Tls.certificate("n", k.getPublic(), "n", k.getPrivate(), false, altNames), node);
    }

    @Test
    void aPlainNodeAndATlsNodeDoNotTalkAndNeitherHangs() {
        Node secure = node("sec@localhost", "c", TlsOptions.selfSigned());
        Node plain = node("plain@localhost", "c", TlsOptions.off());
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> plain.call(new ProcessId("echo", secure.name()), "hi"))
                .isInstanceOf(NoConnectionException.class);
        assertThatThrownBy(() -> secure.call(new ProcessId("echo", plain.name()), "hi"))
                .isInstanceOf(NoConnectionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        assertThat(plain.network().stats(secure.name()).handshakeFailures()).isPositive();
    }

    @Test
    void aWrongCookieIsRefusedUnderTlsToo() {
        Node a = node("ck-a@localhost", "right", TlsOptions.selfSigned());
        Node b = node("ck-b@localhost", "wrong", TlsOptions.selfSigned());
        assertThatThrownBy(() -> b.call(new ProcessId("echo", a.name()), "hi"))
                .isInstanceOf(NoConnectionException.class)
                .hasMessageContaining("cookie");
    }

    /**
     * A relay that ends TLS on each side with certificates of its own, as a man in the middle would. Self-signed mode
     * verifies no certificate, so both TLS sessions come up; the cookie proofs, bound to the certificates each end
     * sees, must not verify.
     */
    @Test
    void aRelayInTheMiddleCannotPassTheHandshakeOnEvenWithTheCookie() throws Exception {
        Node a = node("mitm-a@localhost", "shared", TlsOptions.selfSigned());
        Node b = node("mitm-b@localhost", "shared", TlsOptions.selfSigned());
        Tls relayTls = Tls.of(TlsOptions.selfSigned(), "relay@localhost");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            NetworkRoute target = a.network().acceptor();
            Channel relay = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel in) {
                            in.pipeline().addLast(relayTls.server.newHandler(in.alloc()));
                            in.config().setAutoRead(false);
                            new Bootstrap()
                                    .group(group)
                                    .channel(NioSocketChannel.class)
                                    .handler(new ChannelInitializer<SocketChannel>() {
                                        @Override
                                        protected void initChannel(SocketChannel out) {
                                            out.pipeline()
                                                    .addLast(relayTls.client.newHandler(
                                                            out.alloc(), target.host(), target.port()))
                                                    .addLast(new Pipe(in));
                                        }
                                    })
                                    .connect(target.host(), target.port())
                                    .addListener(f -> {
                                        Channel out = ((io.netty.channel.ChannelFuture) f).channel();
                                        in.pipeline().addLast(new Pipe(out));
                                        in.config().setAutoRead(true);
                                    });
                        }
                    })
                    .bind("localhost", 0)
                    .sync()
                    .channel();
            int port = ((java.net.InetSocketAddress) relay.localAddress()).getPort();
            b.network().addRoute(a.name(), new NetworkRoute("localhost", port));
            assertThatThrownBy(() -> b.call(new ProcessId("echo", a.name()), "through the relay"))
                    .isInstanceOf(NoConnectionException.class)
                    .hasMessageContaining("wrong cookie");
            b.network().removeRoute(a.name());
            assertThat(b.call(new ProcessId("echo", a.name()), "direct")).isEqualTo("direct from mitm-a@localhost");
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Writes whatever arrives to the other channel. */
    private static final class Pipe extends ChannelInboundHandlerAdapter {
        private final Channel other;

        Pipe(Channel other) {
            this.other = other;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            other.writeAndFlush(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            other.close();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
