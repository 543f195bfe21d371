package services.ergo.registrar.etcd;

import java.time.Duration;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;

/** A node in a JVM of its own, registered with etcd: {@code name endpoint cluster ttlSeconds}; for kill -9 tests. */
public final class EtcdNodeMain {
    private EtcdNodeMain() {}

    public static void main(String[] args) throws Exception {
        Node node = Ergo.startNode(
                args[0],
                NodeOptions.builder()
                        .network(NetworkOptions.on().withPort(0))
                        .registrar(() -> new EtcdRegistrar(EtcdRegistrarOptions.defaults()
                                .withEndpoints(args[1])
                                .withCluster(args[2])
                                .withLeaseTtl(Duration.ofSeconds(Long.parseLong(args[3])))))
                        .build());
        System.out.println("READY");
        System.out.flush();
        node.await();
    }
}
