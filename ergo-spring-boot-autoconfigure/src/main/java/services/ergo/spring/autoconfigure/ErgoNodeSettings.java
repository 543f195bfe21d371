package services.ergo.spring.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Registrar;
import services.ergo.gen.TlsOptions;
import services.ergo.leader.LeaderOptions;
import services.ergo.spring.actor.ErgoApplicationDefinition;

/**
 * Turns {@link ErgoProperties} into the core's options. Every check names the property it failed on, so a bad
 * {@code application.yml} stops the start-up with a line that says what to fix (Spring Boot's failure analyzer
 * prints {@link InvalidConfigurationPropertyValueException} as such).
 */
final class ErgoNodeSettings {

    private ErgoNodeSettings() {}

    static String nodeName(ErgoProperties properties, Environment environment) {
        String name = properties.getNode().getName();
        if (name == null || name.isBlank()) {
            String app = environment.getProperty("spring.application.name", "ergo");
            return app + "@" + hostName();
        }
        int at = name.indexOf('@');
        if (at <= 0 || at == name.length() - 1 || name.indexOf('@', at + 1) >= 0 || name.contains(" ")) {
            throw new InvalidConfigurationPropertyValueException(
                    "ergo.node.name", name, "A node name is name@host, for example worker@localhost.");
        }
        return name;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    static NodeOptions.Builder nodeOptions(ErgoProperties properties, Supplier<? extends Registrar> registrar) {
        ErgoProperties.Node node = properties.getNode();
        NodeOptions.Builder b = NodeOptions.builder().cookie(node.getCookie());
        if (node.getSchedulerThreads() != null) {
            int threads = node.getSchedulerThreads();
            check(threads >= 1, "ergo.node.scheduler-threads", threads, "Must be at least 1.");
            b.schedulerThreads(threads);
        }
        Duration callTimeout = node.getCallTimeout();
        check(
                callTimeout != null && !callTimeout.isNegative() && !callTimeout.isZero(),
                "ergo.node.call-timeout",
                callTimeout,
                "Must be longer than 0, for example 5s.");
        b.callTimeout(callTimeout);
        node.getEnv().forEach(b::env);
        b.network(network(properties.getNetwork()));
        if (registrar != null) {
            b.registrar(registrar);
        }
        return b;
    }

    static NetworkOptions network(ErgoProperties.Network p) {
        String prefix = "ergo.network.";
        check(p.getHost() != null && !p.getHost().isBlank(), prefix + "host", p.getHost(), "Must not be empty.");
        check(p.getPort() >= 0 && p.getPort() <= 65535, prefix + "port", p.getPort(), "Must be 0..65535.");
        check(p.getPortRange() >= 1, prefix + "port-range", p.getPortRange(), "Must be at least 1.");
        check(p.getPoolSize() >= 1 && p.getPoolSize() <= 64, prefix + "pool-size", p.getPoolSize(), "Must be 1..64.");
        long max = p.getMaxMessageSize() == null ? -1 : p.getMaxMessageSize().toBytes();
        check(
                max >= 1024 && max <= Integer.MAX_VALUE,
                prefix + "max-message-size",
                p.getMaxMessageSize(),
                "Must be 1KB..2GB.");
        Duration hs = p.getHandshakeTimeout();
        check(
                hs != null && !hs.isNegative() && !hs.isZero(),
                prefix + "handshake-timeout",
                hs,
                "Must be longer than 0.");
        return NetworkOptions.on()
                .withEnabled(p.isEnabled())
                .withHidden(p.isHidden())
                .withHost(p.getHost())
                .withPort(p.getPort())
                .withPortRange(p.getPortRange())
                .withPoolSize(p.getPoolSize())
                .withMaxMessageSize((int) max)
                .withHandshakeTimeout(hs)
                .withRemoteSpawn(p.getRemoteSpawn().isEnabled())
                .withRemoteApplicationStart(p.getRemoteApplicationStart().isEnabled())
                .withTls(tls(p.getTls()));
    }

    private static TlsOptions tls(ErgoProperties.Tls p) {
        ErgoProperties.TlsMode mode = p.getMode() == null ? ErgoProperties.TlsMode.OFF : p.getMode();
        if (mode == ErgoProperties.TlsMode.OFF) {
            return TlsOptions.off();
        }
        if (mode == ErgoProperties.TlsMode.SELF_SIGNED) {
            return TlsOptions.selfSigned();
        }
        String prefix = "ergo.network.tls.";
        check(
                p.getCertificateChain() != null,
                prefix + "certificate-chain",
                null,
                "Mode certificates needs a PEM certificate chain.");
        check(p.getPrivateKey() != null, prefix + "private-key", null, "Mode certificates needs a PEM private key.");
        check(
                p.getTrustedCertificates() != null,
                prefix + "trusted-certificates",
                null,
                "Mode certificates needs the PEM CA certificates that sign the other nodes.");
        for (var file : List.of(
                Map.entry("certificate-chain", p.getCertificateChain()),
                Map.entry("private-key", p.getPrivateKey()),
                Map.entry("trusted-certificates", p.getTrustedCertificates()))) {
            check(
                    java.nio.file.Files.isReadable(file.getValue()),
                    prefix + file.getKey(),
                    file.getValue(),
                    "No readable file there.");
        }
        return TlsOptions.certificates(p.getCertificateChain(), p.getPrivateKey(), p.getTrustedCertificates());
    }

    /**
     * Applies {@code ergo.applications.<name>} over the annotated definitions. Entries for other applications
     * ({@code ApplicationBehavior} beans, known by name only once loaded) leave their weight in {@code leftover}.
     */
    static Map<String, ErgoApplicationDefinition> applications(
            Map<String, ErgoApplicationDefinition> declared,
            Map<String, ErgoProperties.Application> configured,
            Map<String, Integer> leftover) {
        Map<String, ErgoApplicationDefinition> result = new LinkedHashMap<>(declared);
        configured.forEach((name, p) -> {
            if (p.getWeight() != null) {
                check(p.getWeight() >= 0, "ergo.applications." + name + ".weight", p.getWeight(), "Must be >= 0.");
            }
            ErgoApplicationDefinition d = result.get(name);
            if (d == null) {
                leftover.put(name, p.getWeight() == null ? -1 : p.getWeight());
                return;
            }
            ApplicationMode mode = p.getMode() == null ? d.mode() : p.getMode();
            result.put(
                    name,
                    new ErgoApplicationDefinition(
                            name,
                            p.getWeight() == null ? d.weight() : p.getWeight(),
                            mode,
                            p.getDescription() == null ? d.description() : p.getDescription(),
                            d.dependsOn(),
                            p.getStart() == null ? d.start() : p.getStart()));
        });
        return result;
    }

    static Map<String, LeaderOptions> leaderGroups(Map<String, ErgoProperties.LeaderGroup> configured) {
        Map<String, LeaderOptions> groups = new LinkedHashMap<>();
        configured.forEach((id, g) -> {
            String prefix = "ergo.leader.groups." + id + ".";
            check(
                    g.getPeers() != null && !g.getPeers().isEmpty(),
                    prefix + "peers",
                    g.getPeers(),
                    "List every member as name@node.");
            List<ProcessId> peers = new java.util.ArrayList<>();
            for (String p : g.getPeers()) {
                try {
                    peers.add(ProcessId.parse(p.trim()));
                } catch (RuntimeException bad) {
                    throw new InvalidConfigurationPropertyValueException(
                            prefix + "peers", p, "A member is name@node, for example scheduler@node1.");
                }
            }
            Duration min = g.getElectionTimeoutMin();
            Duration max = g.getElectionTimeoutMax();
            Duration beat = g.getHeartbeat();
            check(
                    beat != null && min != null && max != null && !beat.isNegative() && !beat.isZero(),
                    prefix + "heartbeat",
                    beat,
                    "heartbeat and election timeouts must be set and longer than 0.");
            check(
                    beat.compareTo(min) < 0,
                    prefix + "heartbeat",
                    beat,
                    "Must be shorter than election-timeout-min (" + min + ").");
            check(
                    min.compareTo(max) < 0,
                    prefix + "election-timeout-min",
                    min,
                    "Must be shorter than election-timeout-max (" + max + ").");
            LeaderOptions options = LeaderOptions.group(id, peers).withTimeouts(min, max, beat);
            ErgoProperties.LeaderDiscovery discovery = g.getDiscovery();
            if (discovery.getApplication() != null) {
                check(
                        !discovery.getApplication().isBlank(),
                        prefix + "discovery.application",
                        discovery.getApplication(),
                        "Name the application whose nodes are the members, or leave it unset.");
                check(
                        discovery.getRemoveAfter() != null
                                && !discovery.getRemoveAfter().isNegative(),
                        prefix + "discovery.remove-after",
                        discovery.getRemoveAfter(),
                        "Must be 0 or longer.");
                options = options.withDiscovery(discovery.getApplication(), discovery.getRemoveAfter());
            }
            if (g.getStateDirectory() != null) {
                options = options.withStateDirectory(g.getStateDirectory());
            }
            groups.put(id, options);
        });
        return groups;
    }

    static void check(boolean ok, String property, Object value, String reason) {
        if (!ok) {
            throw new InvalidConfigurationPropertyValueException(property, value, reason);
        }
    }
}
