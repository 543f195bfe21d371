package services.ergo.benchmark.saturn;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.saturn.server.SaturnTls;

/**
 * The server's JVM: a {@link SaturnServer} with its defaults (TLS with a self-signed certificate unless
 * {@code plain}; an EC P-256 key, as the server application's own self-signed mode and most certificates today
 * have), one cluster. It prints {@code READY <port> <pid> <certificate file or ->} and answers commands on
 * stdin, one line each: {@code mem} (heap and pooled direct memory in use after a GC), {@code state} (revision,
 * sessions, the most bytes queued for one client, resyncs, snapshots, delta frames), {@code quit}.
 */
public final class ScaleServer {
    static final String CLUSTER = "scale";
    static final String TOKEN = "saturn-scale-benchmark-token";

    private ScaleServer() {}

    public static void main(String[] args) throws Exception {
        boolean tls = !(args.length > 0 && args[0].equals("plain"));
        SelfSignedCertificate cert = tls ? new SelfSignedCertificate("localhost", "EC", 256) : null;
        SaturnServerOptions options = SaturnServerOptions.defaults()
                .withHost("127.0.0.1")
                .withPort(0)
                .withClusters(Map.of(CLUSTER, TOKEN))
                .withIoThreads(Integer.getInteger("saturn.scale.ioThreads", 0));
        if (cert != null) {
            options = options.withTls(
                    new SaturnTls(cert.certificate().toPath(), cert.privateKey().toPath()));
        }
        System.err.println("[saturn-scale] server TLS: "
                + (cert == null
                        ? "off"
                        : io.netty.handler.ssl.OpenSsl.isAvailable()
                                ? "OpenSSL (" + io.netty.handler.ssl.OpenSsl.versionString() + ")"
                                : "JDK")
                + ", epoll " + io.netty.channel.epoll.Epoll.isAvailable());
        try (SaturnServer server = SaturnServer.start(options)) {
            System.out.println(
                    "READY " + server.port() + " " + ProcessHandle.current().pid() + " "
                            + (cert == null ? "-" : cert.certificate().getAbsolutePath()));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                switch (line.trim()) {
                    case "mem" -> {
                        for (int i = 0; i < 3; i++) {
                            System.gc();
                        }
                        Runtime rt = Runtime.getRuntime();
                        System.out.println("MEM " + (rt.totalMemory() - rt.freeMemory()) + " "
                                + PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory());
                    }
                    case "state" -> {
                        var c = server.counters();
                        System.out.println("STATE " + server.revision(CLUSTER) + " " + server.sessions(CLUSTER) + " "
                                + server.maxQueuedBytes(CLUSTER) + " " + c.resyncs.get() + " " + c.snapshots.get()
                                + " " + c.deltaFrames.get() + " " + c.busy.get());
                    }
                    case "quit" -> {
                        return;
                    }
                    default -> System.out.println("ERROR unknown command " + line);
                }
                System.out.flush();
            }
        } finally {
            if (cert != null) {
                cert.delete();
            }
        }
    }
}
