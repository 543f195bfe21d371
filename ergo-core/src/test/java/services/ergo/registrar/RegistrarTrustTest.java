package services.ergo.registrar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import services.ergo.Ergo;
import services.ergo.gen.NameKey;
import services.ergo.gen.NameTakenException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NetworkRoute;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.gen.ProcessOptions;
import services.ergo.testing.TestRegistrar;

/**
 * What a process of the same host, or anyone who can send a datagram, can do to the embedded registrar (M5's
 * registrar part and M6 of the security review): take or redirect names of live nodes, forge answers to resolves,
 * use the UDP port as an amplifier. Real nodes over real sockets; the hostile side speaks the protocol raw.
 */
class RegistrarTrustTest {
    private static final String COOKIE = "trust";

    private final List<Node> nodes = new ArrayList<>();
    private final List<Raw> raws = new CopyOnWriteArrayList<>();
    private final int port = TestRegistrar.freePort();

    @AfterEach
    void stop() {
        raws.forEach(Raw::close);
        nodes.forEach(Node::stopForce);
    }

    private Node start(String name, String cookie) {
        return start(name, cookie, EmbeddedRegistrar.Options.defaults().withPort(port), "localhost");
    }

    private Node start(String name, String cookie, EmbeddedRegistrar.Options registrar, String acceptorHost) {
        Node n = Ergo.startNode(
                name,
                NodeOptions.builder()
                        .cookie(cookie)
                        .registrar(() -> new EmbeddedRegistrar(registrar))
                        .network(NetworkOptions.on().withHost(acceptorHost).withPort(0))
                        .build());
        nodes.add(n);
        return n;
    }

    private static EmbeddedRegistrar registrar(Node n) {
        return (EmbeddedRegistrar) n.network().registrar();
    }

    private static String key(String cookie, String name) {
        return NameKey.derive(cookie, name).encoded();
    }

    @Test
    void aNameKeptForItsHolderAfterATakeoverGoesOnlyToItsKeyAtTheRouteItGives() {
        Node first = start("first@localhost", COOKIE);
        Node second = start("second@localhost", COOKIE);
        // the holder: a node of this release registered with the key of its cookie
        Raw holder = raw("REGISTER victim@localhost 1111 " + key(COOKIE, "victim@localhost"));
        assertThat(holder.answer).isEqualTo("ERGO-REG1 OK");
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registrar(second)
                        .resolve("victim@localhost")
                        .equals(Optional.of(new NetworkRoute("localhost", 1111))));

        first.stopForce();
        await().atMost(Duration.ofSeconds(3)).until(() -> registrar(second).serving());

        // before the holder is back: the previous release's form, another cluster's key, garbage for a key
        assertThat(raw("REGISTER victim@localhost 6666").answer).isEqualTo("ERGO-REG1 TAKEN kept");
        assertThat(raw("REGISTER victim@localhost 6666 " + key("other", "victim@localhost")).answer)
                .isEqualTo("ERGO-REG1 TAKEN kept");
        assertThat(raw("REGISTER victim@localhost 6666 not-a-key").answer).isEqualTo("ERGO-REG1 ERROR");
        assertThat(registrar(second).resolve("victim@localhost")).isEmpty();
        assertThat(registrar(second).refusedNames()).isEqualTo(2);
        // the serving node's own name is its own, with any key
        assertThat(raw("REGISTER second@localhost 6666 " + key(COOKIE, "second@localhost")).answer)
                .isEqualTo("ERGO-REG1 TAKEN held");
        // so is a name nobody held: free names are anyone's (as with epmd)
        assertThat(raw("REGISTER free@localhost 7777").answer).isEqualTo("ERGO-REG1 OK");

        // the holder comes back with its key, at a new port: the route follows it
        Raw back = raw("REGISTER victim@localhost 2222 " + key(COOKIE, "victim@localhost"));
        assertThat(back.answer).isEqualTo("ERGO-REG1 OK");
        assertThat(back.told).anyMatch(l -> l.startsWith("ERGO-REG1 HELD second@localhost "));
        assertThat(registrar(second).resolve("victim@localhost")).contains(new NetworkRoute("localhost", 2222));
        // and while it lives, its own key does not take it from it either
        assertThat(raw("REGISTER victim@localhost 3333 " + key(COOKIE, "victim@localhost")).answer)
                .isEqualTo("ERGO-REG1 TAKEN held");
        assertThat(registrar(second).resolve("victim@localhost")).contains(new NetworkRoute("localhost", 2222));
    }

    @Test
    void aServingNodeThatStopsTellsNoOneThatTheOthersLeftSoTheirNamesAreKept() {
        Node first = start("first@localhost", COOKIE);
        Node second = start("second@localhost", COOKIE);
        List<String> holders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "holder" + i + "@localhost";
            assertThat(raw("REGISTER " + name + " " + (3000 + i) + " " + key(COOKIE, name)).answer)
                    .isEqualTo("ERGO-REG1 OK");
            holders.add(name);
        }
        await().atMost(Duration.ofSeconds(2))
                .until(() -> registrar(second).nodes().size() == 22);
        // a graceful stop closes the holders' connections one by one, before second's or after it
        first.stop();
        await().atMost(Duration.ofSeconds(3)).until(() -> registrar(second).serving());
        for (String name : holders) {
            assertThat(raw("REGISTER " + name + " 6666").answer).as(name).isEqualTo("ERGO-REG1 TAKEN kept");
        }
    }

    @Test
    void threeHundredMadeUpClaimsDisplaceOrRedirectNoLiveNodeNotEvenDuringATakeover() throws Exception {
        Node a = start("a@localhost", COOKIE);
        Node b = start("b@localhost", COOKIE);
        Node c = start("c@localhost", "another-cluster"); // clusters share their host's registrar
        for (Node n : List.of(a, b, c)) {
            n.spawnRegister(
                    "echo", EmbeddedRegistrarTest.Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        }
        List<String> live = List.of("a@localhost", "b@localhost", "c@localhost");
        // while a serves: 300 claims of live names, with no key, a made-up key, or another cluster's key
        for (int i = 0; i < 300; i++) {
            String name = live.get(i % 3);
            assertThat(raw(claim(name, i)).answer).as(name).startsWith("ERGO-REG1 TAKEN");
        }

        // a goes; whoever takes over, 300 more claims race the holders back
        a.stopForce();
        CompletableFuture<List<String>> won = CompletableFuture.supplyAsync(() -> {
            List<String> got = new ArrayList<>();
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; i < 300 && System.nanoTime() < until; ) {
                String name = live.get(1 + i % 2);
                Raw r = tryRaw(claim(name, i));
                if (r == null) {
                    continue; // no one serves yet: the claims start the moment someone does
                }
                if (r.answer.equals("ERGO-REG1 OK")) {
                    got.add(name);
                }
                i++;
            }
            return got;
        });
        assertThat(won.get(30, TimeUnit.SECONDS)).as("names the claims took").isEmpty();

        Node server = registrar(b).serving() ? b : c;
        Node other = server == b ? c : b;
        await().atMost(Duration.ofSeconds(3))
                .until(() -> registrar(server).nodes().size() == 2);
        assertThat(registrar(server).refusedNames()).isPositive();
        for (Node n : List.of(b, c)) {
            Node from = n == b ? c : b;
            assertThat(registrar(from).resolve(n.name()))
                    .contains(
                            new NetworkRoute("localhost", n.network().acceptor().port()));
        }
        assertThat(registrar(other).connected()).isTrue();
        Node d = start("d@localhost", COOKIE);
        assertThat(d.call(new ProcessId("echo", "b@localhost"), "hi")).isEqualTo("hi from b@localhost");
        Node e = start("e@localhost", "another-cluster");
        assertThat(e.call(new ProcessId("echo", "c@localhost"), "hi")).isEqualTo("hi from c@localhost");
    }

    private static String claim(String name, int i) {
        return switch (i % 3) {
            case 0 -> "REGISTER " + name + " " + (6000 + i);
            case 1 -> "REGISTER " + name + " " + (6000 + i) + " " + key("made-up-" + i, name);
            default ->
                "REGISTER " + name + " " + (6000 + i) + " "
                        + key(i % 2 == 0 ? COOKIE : "another-cluster", "made-up-" + i + "@localhost");
        };
    }

    @Test
    void aNodeOfAnotherClusterIsToldClearlyThatTheNameIsKeptForAnotherKey() {
        Node first = start("first@localhost", COOKIE);
        Node second = start("second@localhost", COOKIE);
        Node third = start("third@localhost", COOKIE);
        first.stopForce();
        await().atMost(Duration.ofSeconds(3))
                .until(() -> registrar(second).serving() || registrar(third).serving());
        Node server = registrar(second).serving() ? second : third;
        // first@localhost is gone, but kept for its key a while (3 s): a node of another cluster is told so
        assertThatThrownBy(() -> start("first@localhost", "another-cluster"))
                .isInstanceOf(NameTakenException.class)
                .hasMessageContaining("name 'first@localhost' is taken")
                .hasMessageContaining("another key");
        assertThat(registrar(server).refusedNames()).isPositive();
        // the node itself, restarted with its cookie, gets its name back at once
        Node again = start("first@localhost", COOKIE);
        assertThat(registrar(again).serving()).isFalse();
        assertThat(registrar(server).nodes()).contains("first@localhost");
    }

    @Test
    void anEmptyCookieOnLoopbackStillRegistersAndResolves() {
        Node first = start("first@localhost", "");
        Node second = start("second@localhost", "");
        assertThat(registrar(second).nodes()).containsExactlyInAnyOrder("first@localhost", "second@localhost");
        first.spawnRegister(
                "echo", EmbeddedRegistrarTest.Echo::new, ProcessOptions.defaults(), new LinkedBlockingQueue<>());
        assertThat(second.call(new ProcessId("echo", "first@localhost"), "hi")).isEqualTo("hi from first@localhost");
    }

    @Test
    void aResolveTakesOnlyTheAnswerWithItsIdFromTheRegistrarItAsked() throws Exception {
        // a "host" of its own, so that 127.0.0.5 can have a registrar port of the test's
        Node a = start(
                "a@127.0.0.4",
                COOKIE,
                EmbeddedRegistrar.Options.defaults().withPort(port).withAddress("127.0.0.4"),
                "127.0.0.4");
        InetAddress host = InetAddress.getByName("127.0.0.5");
        try (DatagramSocket registrarThere = new DatagramSocket(new InetSocketAddress(host, port));
                DatagramSocket forger = new DatagramSocket(new InetSocketAddress(host, 0))) {
            CompletableFuture<Optional<NetworkRoute>> resolved =
                    CompletableFuture.supplyAsync(() -> registrar(a).resolve("x@127.0.0.5"));
            byte[] in = new byte[600];
            DatagramPacket query = new DatagramPacket(in, in.length);
            registrarThere.setSoTimeout(5000);
            registrarThere.receive(query);
            String[] w = new String(in, 0, query.getLength(), StandardCharsets.UTF_8).split(" ");
            String id = w.length == 4 ? w[3] : "no-id";
            InetSocketAddress resolver = (InetSocketAddress) query.getSocketAddress();
            // forged: without an id (the previous release's form), with another id, and with the right id (as one
            // on the path would) but from another port; then the registrar asked answers
            send(forger, resolver, "ERGO-REG1 ROUTE x@127.0.0.5 6666");
            send(forger, resolver, "ERGO-REG1 ROUTE x@127.0.0.5 6667 00000000deadbeef");
            send(forger, resolver, "ERGO-REG1 ROUTE x@127.0.0.5 6668 " + id);
            send(registrarThere, resolver, "ERGO-REG1 ROUTE x@127.0.0.5 6669 00000000deadbeef");
            send(registrarThere, resolver, "ERGO-REG1 ROUTE x@127.0.0.5 1234 " + id);
            assertThat(resolved.get(5, TimeUnit.SECONDS)).contains(new NetworkRoute("127.0.0.5", 1234));
            assertThat(id).matches("[0-9a-f]{16}");
        }
    }

    @Test
    void theUdpPortAnswersNoMoreThanTwiceTheQueryAndNeverTheNodeList() throws Exception {
        Node a = start("a@localhost", COOKIE);
        start("b" + "x".repeat(200) + "@localhost", COOKIE);
        try (DatagramSocket d = new DatagramSocket()) {
            d.setSoTimeout(5000);
            InetSocketAddress there = new InetSocketAddress("localhost", port);
            long before = registrar(a).rejected();
            send(d, there, "ERGO-REG1 NODES"); // the previous release answered with every name, up to 60 000 bytes
            String query = "ERGO-REG1 RESOLVE a@localhost 0123456789abcdef";
            send(d, there, query);
            byte[] in = new byte[65_536];
            DatagramPacket p = new DatagramPacket(in, in.length);
            d.receive(p);
            String answer = new String(in, 0, p.getLength(), StandardCharsets.UTF_8);
            assertThat(answer)
                    .isEqualTo("ERGO-REG1 ROUTE a@localhost "
                            + a.network().acceptor().port() + " 0123456789abcdef");
            assertThat(p.getLength()).isLessThanOrEqualTo(2 * query.length());
            await().atMost(Duration.ofSeconds(2)).until(() -> registrar(a).rejected() == before + 1);
        }
        // the nodes still list each other, over TCP
        assertThat(registrar(a).nodes()).hasSize(2);
    }

    @Test
    void theKeyIsAnHmacOfTheCookieOverTheNameAndSpeaksForThatNameOnly() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("secret".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        mac.update("ergo registrar name key\0".getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal("a@h".getBytes(StandardCharsets.UTF_8));
        NameKey key = NameKey.derive("secret", "a@h");
        assertThat(key.encoded())
                .hasSize(43)
                .isEqualTo(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(expected))
                .doesNotContain("secret");
        assertThat(key).isEqualTo(NameKey.of("a@h", key.encoded()));
        assertThat(key.toString()).isEqualTo("NameKey[a@h]");
        assertThat(key.matches(key.verifier())).isTrue();
        assertThat(NameKey.derive("secret", "b@h").matches(key.verifier())).isFalse();
        assertThat(NameKey.derive("other", "a@h").matches(key.verifier())).isFalse();
        assertThat(NameKey.derive("", "a@h").encoded()).hasSize(43); // an empty cookie works, and proves nothing
        assertThatThrownBy(() -> NameKey.of("a@h", "AAAA")).hasMessageContaining("32 bytes");
    }

    @Test
    void mutatedLinesAndDatagramsLeaveTheRegistrarServingAndTheNamesWhereTheyWere() throws Exception {
        Node a = start("a@localhost", COOKIE);
        Node b = start("b@localhost", COOKIE);
        java.util.Random random = new java.util.Random(18);
        String[] valid = {
            "ERGO-REG1 REGISTER b@localhost 6000 " + key("x", "b@localhost"),
            "ERGO-REG1 REGISTER fuzz@localhost 6000 " + key(COOKIE, "fuzz@localhost"),
            "ERGO-REG1 REGISTER fuzz@localhost 6000",
            "ERGO-REG1 NODES",
            "ERGO-REG1 RESOLVE b@localhost 0123456789abcdef"
        };
        try (DatagramSocket d = new DatagramSocket()) {
            InetSocketAddress there = new InetSocketAddress("localhost", port);
            for (int i = 0; i < 2000; i++) {
                byte[] bytes = mutate(valid[random.nextInt(valid.length)], random);
                d.send(new DatagramPacket(bytes, bytes.length, there));
            }
        }
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("localhost", port)) {
                s.setSoTimeout(5000);
                s.getOutputStream().write(mutate(valid[random.nextInt(valid.length)], random));
                s.getOutputStream().write('\n');
                s.shutdownOutput();
                // the server answers or closes: it never holds on
                while (s.getInputStream().read() >= 0) {
                    // drain
                }
            }
        }
        assertThat(registrar(a).serving()).isTrue();
        assertThat(registrar(a).resolve("b@localhost"))
                .contains(new NetworkRoute("localhost", b.network().acceptor().port()));
        assertThat(registrar(b).resolve("a@localhost"))
                .contains(new NetworkRoute("localhost", a.network().acceptor().port()));
        assertThat(registrar(a).rejected()).isPositive();
    }

    /** {@code line} with a few bytes flipped, dropped, doubled or cut, or now and then much longer. */
    private static byte[] mutate(String line, java.util.Random random) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte x : b) {
            int r = random.nextInt(40);
            if (r == 0) {
                continue;
            } else if (r == 1) {
                out.write(random.nextInt(256));
            } else if (r == 2) {
                out.write(x);
                out.write(x);
            } else if (r == 3) {
                out.write(' ');
            } else {
                out.write(x);
            }
        }
        if (random.nextInt(20) == 0) {
            byte[] more = new byte[random.nextInt(2000)];
            random.nextBytes(more);
            out.writeBytes(more);
        }
        byte[] all = out.toByteArray();
        return random.nextInt(10) == 0 ? java.util.Arrays.copyOf(all, random.nextInt(all.length + 1)) : all;
    }

    private static void send(DatagramSocket from, InetSocketAddress to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        from.send(new DatagramPacket(bytes, bytes.length, to));
    }

    /** A raw registration: the line sent, the answer (OK, TAKEN…, ERROR, or "" when closed), and what came before. */
    private Raw raw(String words) {
        Raw r = tryRaw(words);
        assertThat(r).as("a connection to the registrar").isNotNull();
        return r;
    }

    private Raw tryRaw(String words) {
        try {
            Raw r = new Raw(new Socket("localhost", port));
            raws.add(r);
            r.send(words);
            return r;
        } catch (IOException e) {
            return null; // no one serves at this instant (a takeover)
        }
    }

    private static final class Raw {
        final Socket socket;
        final List<String> told = new ArrayList<>();
        String answer = "";

        Raw(Socket socket) {
            this.socket = socket;
        }

        void send(String words) {
            try {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("ERGO-REG1 " + words + "\n").getBytes(StandardCharsets.UTF_8));
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.startsWith("ERGO-REG1 HELD ")) {
                        told.add(line);
                        continue;
                    }
                    answer = line;
                    return;
                }
            } catch (IOException e) {
                answer = "";
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
