package services.ergo.spring.autoconfigure;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;
import org.springframework.core.env.Environment;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Registrar;

/**
 * {@code ergo.node.*} and {@code ergo.network.*} onto {@link NodeOptions}, and the node's name. Every problem of
 * both is reported at once.
 */
final class NodeOptionsMapper {
    private static final String PREFIX = "ergo.node.";

    private NodeOptionsMapper() {}

    /**
     * The node's options, with {@code registrar} (a bean) when there is one, else the core's embedded registrar.
     *
     * @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()})
     */
    static NodeOptions.Builder map(ErgoProperties properties, @Nullable Registrar registrar) {
        PropertyProblems problems = new PropertyProblems();
        NodeOptions.Builder options = map(properties, registrar != null, problems);
        if (registrar != null) {
            options.registrar(() -> registrar);
        }
        problems.throwIfAny();
        return options;
    }

    /**
     * Applies every property; what is refused goes to {@code problems}.
     *
     * @param registrarBean whether the node will be given a registrar bean (else the core's embedded one)
     */
    static NodeOptions.Builder map(ErgoProperties properties, boolean registrarBean, PropertyProblems problems) {
        ErgoProperties.Node node = properties.getNode();
        NodeOptions.Builder options = NodeOptions.builder().cookie(node.getCookie());
        Integer threads = node.getSchedulerThreads();
        if (threads != null) {
            options = problems.apply(options, PREFIX + "scheduler-threads", threads, o -> o.schedulerThreads(threads));
        }
        options = problems.apply(
                options, PREFIX + "call-timeout", node.getCallTimeout(), o -> o.callTimeout(node.getCallTimeout()));
        node.getEnv().forEach(options::env);
        options.network(NetworkOptionsMapper.map(properties.getNetwork(), problems));
        String host = properties.getNetwork().getHost();
        problems.check(
                !properties.getNetwork().isEnabled()
                        || (node.getCookie() != null && !node.getCookie().isEmpty())
                        || !beyondLoopback(host),
                PREFIX + "cookie",
                "",
                "Empty, while the acceptor binds " + host + ", beyond loopback: anyone who reaches it could join"
                        + " this node's cluster. Set a cookie, or bind ergo.network.host to loopback.");
        // the etcd auto-configuration backs off without its module; say so rather than start on the embedded one
        problems.check(
                registrarBean
                        || !properties.getNetwork().isEnabled()
                        || properties.getRegistrar().getType() != ErgoProperties.RegistrarType.ETCD,
                "ergo.registrar.type",
                "etcd",
                "The etcd registrar needs services.ergo:ergo-registrar-etcd (with io.etcd:jetcd-core) on the"
                        + " classpath.");
        problems.check(
                registrarBean
                        || !properties.getNetwork().isEnabled()
                        || properties.getRegistrar().getType() != ErgoProperties.RegistrarType.SATURN,
                "ergo.registrar.type",
                "saturn",
                "The Saturn registrar needs services.ergo:ergo-registrar-saturn on the classpath.");
        return options;
    }

    /** Whether {@code host} names an address other than loopback (a host that does not resolve fails its bind). */
    private static boolean beyondLoopback(String host) {
        try {
            return host != null
                    && !host.isBlank()
                    && !java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    /**
     * {@code ergo.node.name}, or {@code ${spring.application.name}@<host name>} when it is unset. The starter asks
     * more of a name than the core does: no spaces, which no host name has.
     */
    static String nodeName(ErgoProperties.Node node, Environment environment) {
        String name = node.getName();
        if (name == null || name.isBlank()) {
            return environment.getProperty("spring.application.name", "ergo") + "@" + hostName();
        }
        PropertyProblems problems = new PropertyProblems();
        checkName(node, problems);
        problems.throwIfAny();
        return name;
    }

    /** {@code ergo.node.name}'s rule, when it is set; what is refused goes to {@code problems}. */
    static void checkName(ErgoProperties.Node node, PropertyProblems problems) {
        String name = node.getName();
        if (name == null || name.isBlank()) {
            return;
        }
        int at = name.indexOf('@');
        problems.check(
                at > 0 && at < name.length() - 1 && name.indexOf('@', at + 1) < 0 && !name.contains(" "),
                PREFIX + "name",
                name,
                "A node name is name@host, for example worker@localhost.");
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
