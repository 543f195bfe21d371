package services.ergo.observer.standalone;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

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
 * cluster; the registrar does not list it), port 9911 on 127.0.0.1 only, the Observer and its endpoint exposed,
 * read-only. It shows every node's processes, log and env, so it refuses to listen beyond loopback
 * ({@code server.address}, {@code management.server.address}) without credentials: Spring Security on the class
 * path and {@code spring.security.user.password} set.
 */
@SpringBootApplication
public class ObserverApplication {
    private static final String SECURITY_CLASS = "org.springframework.security.web.SecurityFilterChain";

    public static void main(String[] args) {
        application().run(args);
    }

    /** The standalone observer with its defaults; command-line arguments and the environment override them. */
    public static SpringApplication application() {
        SpringApplication app = new SpringApplication(ObserverApplication.class);
        app.setDefaultProperties(Map.of(
                "spring.application.name", "observer",
                "ergo.node.name", "observer@localhost",
                "ergo.network.hidden", "true",
                "server.port", "9911",
                "server.address", "127.0.0.1",
                "management.endpoints.web.exposure.include", "health,observer,ergo"));
        app.addListeners(new ApplicationListener<ApplicationEnvironmentPreparedEvent>() {
            @Override
            public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
                checkAddresses(
                        event.getEnvironment(),
                        ClassUtils.isPresent(SECURITY_CLASS, ObserverApplication.class.getClassLoader()));
            }
        });
        return app;
    }

    /**
     * Refuses an address beyond loopback without credentials (review M8).
     *
     * @throws IllegalStateException naming the property when the observer would serve the network unauthenticated
     */
    static void checkAddresses(Environment environment, boolean springSecurity) {
        boolean credentials =
                springSecurity && StringUtils.hasText(environment.getProperty("spring.security.user.password"));
        if (credentials) {
            return;
        }
        check(environment, "server.address", springSecurity);
        if (ManagementPortType.get(environment) == ManagementPortType.DIFFERENT) {
            check(environment, "management.server.address", springSecurity);
        }
    }

    private static void check(Environment environment, String property, boolean springSecurity) {
        String address = environment.getProperty(property);
        if (address != null && isLoopback(address, property)) {
            return;
        }
        throw new IllegalStateException(
                "The standalone Observer does not listen on " + property + "="
                        + (address == null ? "(every interface)" : address)
                        + " without credentials: it would show every node's processes, log and env, and act on them, to"
                        + " anyone who reaches it. Keep " + property
                        + " on a loopback address (the default is 127.0.0.1), or "
                        + (springSecurity
                                ? "set spring.security.user.password (and spring.security.user.name)."
                                : "put Spring Security on the class path (-Dloader.path) and set spring.security.user.password."));
    }

    private static boolean isLoopback(String address, String property) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(property + "=" + address + " is not a known address", e);
        }
    }
}
