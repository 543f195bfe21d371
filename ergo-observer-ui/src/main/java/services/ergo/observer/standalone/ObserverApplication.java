package services.ergo.observer.standalone;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The standalone observer (the seed's {@code observer -cookie …}): a node of its own that joins the cluster with
 * the cookie and serves the Observer for every node it reaches.
 *
 * <pre>
 * java -jar ergo-observer-ui-0.1.0-SNAPSHOT-standalone.jar --ergo.node.cookie=secret
 * java -jar ergo-observer-ui-0.1.0-SNAPSHOT-standalone.jar --ergo.node.cookie=secret \
 *      --ergo.registrar.type=etcd --ergo.registrar.etcd.endpoints=http://etcd:2379 --server.port=9911
 * </pre>
 *
 * Then open http://localhost:9911/observer. Defaults: node {@code observer@localhost}, hidden (it sees the
 * cluster; the registrar does not list it), port 9911, the Observer and its endpoint exposed, read-only.
 */
@SpringBootApplication
public class ObserverApplication {

    public static void main(String[] args) {
        application().run(args);
    }

    /** The standalone observer with its defaults; command-line arguments and the environment override them. */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(ObserverApplication.class);
        app.setDefaultProperties(java.util.Map.of(
                "spring.application.name", "observer",
                "ergo.node.name", "observer@localhost",
                "ergo.network.hidden", "true",
                "server.port", "9911",
                "management.endpoints.web.exposure.include", "health,observer,ergo"));
        return app;
    }
}
