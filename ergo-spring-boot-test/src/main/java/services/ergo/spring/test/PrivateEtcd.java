package services.ergo.spring.test;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.beans.factory.config.BeanPostProcessor;
import services.ergo.registrar.etcd.EtcdRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;
import services.ergo.testkit.EtcdServer;

/** The etcd processes this JVM started for its test contexts. */
final class PrivateEtcd {
    private static final Set<String> ENDPOINTS = ConcurrentHashMap.newKeySet();

    private PrivateEtcd() {}

    static EtcdServer start() {
        EtcdServer server;
        try {
            server = EtcdServer.start();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "the test asked for the etcd registrar (ergo.registrar.type=etcd or @AutoConfigureErgo(etcd ="
                            + " true)), so it gets an etcd of its own, but the etcd binary did not start (Debian:"
                            + " apt-get install etcd-server): "
                            + e.getMessage(),
                    e);
        }
        ENDPOINTS.add(server.endpoint());
        // a context the cache still holds at the end is closed by Spring's shutdown hook; this one covers the rest
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (server.alive()) {
                    server.kill();
                }
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }));
        return server;
    }

    static boolean isPrivate(List<String> endpoints) {
        return ENDPOINTS.containsAll(endpoints);
    }

    /**
     * The private etcd has no users and speaks plain HTTP: credentials or CA certificates {@code application.yml}
     * gives for the real etcd would only make the registrar fail against it, and a property source cannot unset
     * them.
     */
    static final class PlainRegistrar implements BeanPostProcessor {
        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            if (bean instanceof EtcdRegistrar registrar
                    && isPrivate(registrar.options().endpoints())) {
                EtcdRegistrarOptions o = registrar.options();
                if (o.user() != null || o.trustedCertificates() != null) {
                    return new EtcdRegistrar(new EtcdRegistrarOptions(
                            o.endpoints(),
                            o.cluster(),
                            o.leaseTtl(),
                            null,
                            null,
                            null,
                            o.requestTimeout(),
                            o.backoffMin(),
                            o.backoffMax()));
                }
            }
            return bean;
        }
    }
}
