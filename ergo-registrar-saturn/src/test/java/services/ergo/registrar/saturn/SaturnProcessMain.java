package services.ergo.registrar.saturn;

import java.time.Duration;
import java.util.Map;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;

/**
 * A Saturn server or a node in a JVM of its own, for kill -9 tests: {@code server port} or {@code node name
 * host:port}; prints READY once up, then runs until killed.
 */
public final class SaturnProcessMain {
    private SaturnProcessMain() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("server")) {
            SaturnServer.start(SaturnServerOptions.defaults()
                    .withPort(Integer.parseInt(args[1]))
                    .withTtl(Duration.ofSeconds(3))
                    .withClusters(Map.of("prod", SaturnRegistrarTest.TOKEN)));
            System.out.println("READY");
            System.out.flush();
            Thread.currentThread().join();
        } else {
            Node node = Ergo.startNode(
                    args[1],
                    NodeOptions.builder()
                            .cookie("saturn")
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> new SaturnRegistrar(SaturnRegistrarTest.options(args[2])))
                            .build());
            System.out.println("READY");
            System.out.flush();
            node.await();
        }
    }
}
