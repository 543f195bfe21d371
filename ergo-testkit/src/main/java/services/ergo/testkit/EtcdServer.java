package services.ergo.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * A real etcd server for tests of code that uses the etcd registrar: the {@code etcd} binary on the PATH
 * (Debian's {@code etcd-server}) on free loopback ports with a data directory of its own; killed with SIGKILL and
 * started again on the same ports and data, to test what survives an outage.
 *
 * <pre>{@code
 * try (EtcdServer etcd = EtcdServer.start()) {
 *     Node node = Ergo.startNode("a@localhost", NodeOptions.builder()
 *             .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults().withEndpoints(etcd.endpoint())))
 *             .build());
 *     etcd.etcdctl("put", "services/ergo/config/global/db.pool_size", "int:20");
 * }
 * }</pre>
 */
public final class EtcdServer implements AutoCloseable {
    private final Path dataDir;
    private final int clientPort;
    private final int peerPort;
    private final String name;
    private final String initialCluster;
    /** Null until the first launch. */
    private java.lang.@Nullable Process process;
    /**
     * PEM files when clients speak TLS to it: its certificate, its key, and the CA that signed the certificate; null
     * for plain HTTP.
     */
    private @Nullable Path certFile;

    private @Nullable Path keyFile;
    private @Nullable Path caFile;

    private EtcdServer(String name, int clientPort, int peerPort, String initialCluster) throws IOException {
        this.name = name;
        this.clientPort = clientPort;
        this.peerPort = peerPort;
        this.initialCluster = initialCluster;
        this.dataDir = Files.createTempDirectory("etcd-" + name + "-");
    }

    /** One etcd on its own, started. */
    public static EtcdServer start() throws IOException {
        return startSolo(null, null, null);
    }

    /**
     * One etcd on its own on client port {@code clientPort}, started: {@code 2379}, etcd's default, stands in for the
     * etcd a developer runs, for a test that proves it is never reached.
     *
     * <pre>{@code
     * EtcdServer developers = EtcdServer.startOn(2379);
     * assertThat(developers.etcdctl("get", "services/ergo/", "--prefix", "--keys-only")).isBlank();
     * }</pre>
     */
    public static EtcdServer startOn(int clientPort) throws IOException {
        int peer = freePort();
        EtcdServer e = new EtcdServer("solo", clientPort, peer, "solo=http://127.0.0.1:" + peer);
        e.restart();
        return e;
    }

    /**
     * One etcd whose clients speak TLS ({@code https://} endpoint), with {@code cert} and {@code key} (PEM) signed by
     * {@code ca}; clients need {@code ca} to trust it.
     */
    public static EtcdServer startTls(Path cert, Path key, Path ca) throws IOException {
        return startSolo(cert, key, ca);
    }

    /**
     * A port found free may be taken by another process before etcd binds it (the tests of a build run side by side),
     * so a start that fails with "address already in use" tries again on other ports, a few times.
     */
    private static EtcdServer startSolo(@Nullable Path cert, @Nullable Path key, @Nullable Path ca) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int[] ports = freePorts(2);
            EtcdServer e = new EtcdServer("solo", ports[0], ports[1], "solo=http://127.0.0.1:" + ports[1]);
            e.certFile = cert;
            e.keyFile = key;
            e.caFile = ca;
            try {
                e.restart();
                return e;
            } catch (IOException failed) {
                boolean portTaken = e.log().contains("address already in use");
                e.closeQuietly();
                if (!portTaken || attempt == 5) {
                    throw failed;
                }
            }
        }
    }

    /** A cluster of {@code size} members, started together. */
    public static List<EtcdServer> cluster(int size) throws IOException {
        List<int[]> ports = new ArrayList<>();
        StringBuilder initial = new StringBuilder();
        int[] free = freePorts(2 * size);
        for (int i = 0; i < size; i++) {
            int[] p = {free[2 * i], free[2 * i + 1]};
            ports.add(p);
            initial.append(i == 0 ? "" : ",")
                    .append("m")
                    .append(i)
                    .append("=http://127.0.0.1:")
                    .append(p[1]);
        }
        List<EtcdServer> members = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            members.add(new EtcdServer("m" + i, ports.get(i)[0], ports.get(i)[1], initial.toString()));
        }
        for (EtcdServer m : members) {
            m.launch();
        }
        for (EtcdServer m : members) {
            m.awaitUp();
        }
        return members;
    }

    /** The client URL, {@code http://127.0.0.1:<port>}. */
    public String endpoint() {
        return (certFile == null ? "http" : "https") + "://127.0.0.1:" + clientPort;
    }

    /** Starts the server again after {@link #kill()}, on the same ports and data; returns once it is healthy. */
    public void restart() throws IOException {
        launch();
        awaitUp();
    }

    private void launch() throws IOException {
        List<String> tls = certFile == null
                ? List.of()
                : List.of("--cert-file", certFile.toString(), "--key-file", keyFile.toString());
        List<String> cmd = new ArrayList<>(List.of(
                "etcd",
                "--name",
                name,
                "--data-dir",
                dataDir.toString(),
                "--listen-client-urls",
                endpoint(),
                "--advertise-client-urls",
                endpoint(),
                "--listen-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls",
                "http://127.0.0.1:" + peerPort,
                "--initial-cluster",
                initialCluster,
                "--initial-cluster-state",
                "new",
                "--log-level",
                "warn"));
        cmd.addAll(tls);
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(
                        dataDir.resolveSibling(dataDir.getFileName() + ".log").toFile())
                .start();
    }

    private void awaitUp() throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("etcd " + name + " exited with " + process.exitValue() + "; see "
                        + dataDir.resolveSibling(dataDir.getFileName() + ".log"));
            }
            try (Socket s = new Socket("127.0.0.1", clientPort)) {
                if (etcdctl("endpoint", "health").contains("is healthy")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.onSpinWait();
            try {
                process.waitFor(50, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        throw new IOException("etcd " + name + " did not come up within 20 s");
    }

    /** Runs {@code etcdctl} against this server, as a person would; returns what it printed. */
    public String etcdctl(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("etcdctl", "--endpoints=" + endpoint(), "--dial-timeout=2s"));
        if (caFile != null) {
            cmd.add("--cacert=" + caFile);
        }
        cmd.addAll(List.of(args));
        ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true);
        b.environment().put("ETCDCTL_API", "3");
        java.lang.Process p = b.start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** SIGKILL: no goodbye to anyone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** The etcd process's id, for what {@code /proc} says of it (a benchmark's CPU and memory figures). */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException("etcd is not running");
        }
        return process.pid();
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            kill();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** {@code count} ports free now, all different: two calls of {@link #freePort()} may return the same one. */
    public static int[] freePorts(int count) throws IOException {
        java.util.Set<Integer> ports = new java.util.LinkedHashSet<>();
        while (ports.size() < count) {
            ports.add(freePort());
        }
        return ports.stream().mapToInt(Integer::intValue).toArray();
    }

    private String log() {
        try {
            return Files.readString(dataDir.resolveSibling(dataDir.getFileName() + ".log"));
        } catch (IOException noLog) {
            return "";
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception ignored) {
            // a failed start leaves nothing worth reporting over the failure itself
        }
    }

    /**
     * A port free now on this machine for TCP and for UDP both: the embedded registrar takes the two with one number,
     * and a port free for TCP may be held for UDP.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; ; attempt++) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                try (java.net.DatagramSocket udp = new java.net.DatagramSocket(port)) {
                    return port;
                } catch (java.net.SocketException udpTaken) {
                    if (attempt > 50) {
                        throw udpTaken;
                    }
                }
            }
        }
    }
}
