package services.ergo.saturn.app;

import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import services.ergo.saturn.server.SaturnConfig;
import services.ergo.saturn.server.SaturnConfigFile;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.saturn.server.SaturnTls;
import services.ergo.saturn.server.SaturnToken;

/**
 * {@code saturn.server.*} to {@link SaturnServerOptions}. Each value goes through the option's own {@code with}
 * method, so the bounds are the core's and stay in one place; what it refuses is told with the property's name,
 * every problem at once.
 */
final class PropertyMapping {
    static final String PREFIX = "saturn.server.";

    private final List<InvalidSaturnPropertiesException.Problem> problems = new ArrayList<>();
    private SaturnServerOptions options = SaturnServerOptions.defaults();

    private PropertyMapping() {}

    /**
     * The options the properties say, without TLS (see {@link #tls}) and without the customizers.
     *
     * @throws InvalidSaturnPropertiesException naming every property that is wrong, TLS's included
     */
    static SaturnServerOptions options(SaturnServerProperties p) {
        PropertyMapping m = new PropertyMapping();
        if (p.getHost() == null || p.getHost().isBlank()) {
            m.problem("host", p.getHost(), "must name an address to listen on (0.0.0.0 for every interface)");
        } else {
            m.apply("host", p.getHost(), o -> o.withHost(p.getHost().trim()));
        }
        m.apply("port", p.getPort(), o -> o.withPort(p.getPort()));
        m.apply("ttl", p.getTtl(), o -> o.withTtl(p.getTtl()));
        m.apply("history-size", p.getHistorySize(), o -> o.withHistorySize(p.getHistorySize()));
        m.apply("client-queue-bytes", p.getClientQueueBytes(), o -> o.withClientQueueBytes(p.getClientQueueBytes()));
        m.apply(
                "max-frame-bytes",
                p.getMaxFrameBytes(),
                o -> o.withLimits(o.limits().withMaxFrameBytes(p.getMaxFrameBytes())));
        m.apply("page-entries", p.getPageEntries(), o -> o.withPageEntries(p.getPageEntries()));
        if (p.getHandshakeTimeout().isNegative() || p.getHandshakeTimeout().isZero()) {
            m.problem("handshake-timeout", p.getHandshakeTimeout(), "must be positive");
        } else {
            m.apply("handshake-timeout", p.getHandshakeTimeout(), o -> o.withHandshakeTimeout(p.getHandshakeTimeout()));
        }
        m.apply(
                "registrations-per-second",
                p.getRegistrationsPerSecond(),
                o -> o.withAdmission(p.getRegistrationsPerSecond(), o.registrationBurst()));
        m.apply(
                "registration-burst",
                p.getRegistrationBurst(),
                o -> o.withAdmission(o.registrationsPerSecond(), p.getRegistrationBurst()));
        m.apply("round", p.getRound(), o -> o.withRound(p.getRound()));
        m.apply("io-threads", p.getIoThreads(), o -> o.withIoThreads(p.getIoThreads()));
        m.clusters(p.getClusters());
        m.tokens(p.getTokens());
        if (p.getConfigFile() != null) {
            m.configFile(p.getConfigFile());
        }
        m.tlsProblems(p.getTls());
        if (!m.problems.isEmpty()) {
            throw new InvalidSaturnPropertiesException(m.problems);
        }
        return m.options;
    }

    /** A server with no cluster refuses everyone; say so at the start rather than at every node's. */
    static void requireClusters(SaturnServerOptions options, SaturnServerProperties p) {
        if (options.clusters().isEmpty() && options.tokens().isEmpty() && p.getConfigFile() == null) {
            throw new InvalidSaturnPropertiesException(List.of(new InvalidSaturnPropertiesException.Problem(
                    PREFIX + "clusters",
                    null,
                    "no cluster: set " + PREFIX + "clusters.<name>=<token of 16 or more characters>, or " + PREFIX
                            + "config-file")));
        }
    }

    /** The PEM files of saturn.server.tls, checked by {@link #options}; null for self-signed or off. */
    static @Nullable SaturnTls tls(SaturnServerProperties.Tls tls) {
        if (!tls.isEnabled() || tls.isSelfSigned() || tls.getCertificate() == null || tls.getPrivateKey() == null) {
            return null;
        }
        return new SaturnTls(tls.getCertificate(), tls.getPrivateKey());
    }

    private void clusters(Map<String, String> clusters) {
        Map<String, String> good = new java.util.LinkedHashMap<>();
        clusters.forEach((name, token) -> {
            String property = "clusters." + name;
            if (name.isBlank()) {
                problem(property, null, "a cluster needs a name");
                return;
            }
            try {
                options.withClusters(Map.of(name, token == null ? "" : token));
                good.put(name, token);
            } catch (IllegalArgumentException e) {
                problem(property, null, e.getMessage()); // the value is a token: never shown
            }
        });
        options = options.withClusters(good);
    }

    private void tokens(List<SaturnServerProperties.Token> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            SaturnServerProperties.Token t = tokens.get(i);
            try {
                String names = t.getNames() == null || t.getNames().isEmpty() ? null : t.getNames();
                options = options.withToken(new SaturnToken(t.getCluster(), t.getId(), t.getSecret(), names));
            } catch (IllegalArgumentException e) {
                problem("tokens[" + i + "]", null, e.getMessage());
            }
        }
    }

    /**
     * Reads the file as the server's start will, so that a bad one is told with the other properties rather than
     * as a stack trace; the server reads it again at its start and on every change.
     */
    private void configFile(Path file) {
        if (!readableFile("config-file", file)) {
            return;
        }
        SaturnConfig config;
        try {
            config = SaturnConfigFile.load(file, options.limits());
        } catch (IllegalArgumentException e) {
            problem("config-file", file, e.getMessage()); // the core's: the file, the key path and the problem
            return;
        }
        Set<String> named = new TreeSet<>(options.clusters().keySet());
        options.tokens().forEach(t -> named.add(t.cluster()));
        named.retainAll(config.clusters().keySet());
        if (!named.isEmpty()) {
            problem(
                    "config-file",
                    file,
                    "names the clusters " + named + " that " + PREFIX + "clusters / " + PREFIX
                            + "tokens name too: name each cluster in one of them");
            return;
        }
        options = options.withConfigFile(file);
    }

    private void tlsProblems(SaturnServerProperties.Tls tls) {
        boolean pem = tls.getCertificate() != null || tls.getPrivateKey() != null;
        if (!tls.isEnabled()) {
            if (pem || tls.isSelfSigned()) {
                problem(
                        "tls.enabled",
                        false,
                        "plain TCP was asked for, yet "
                                + (tls.isSelfSigned() ? PREFIX + "tls.self-signed" : PREFIX + "tls.certificate")
                                + " is set: remove one of them");
            }
            return;
        }
        if (tls.isSelfSigned()) {
            if (pem) {
                problem(
                        "tls.self-signed",
                        true,
                        "a self-signed certificate was asked for, yet " + PREFIX
                                + "tls.certificate / private-key are set: remove one of them");
            }
            return;
        }
        if (!pem) {
            problem(
                    "tls",
                    null,
                    "Saturn serves TLS by default: set " + PREFIX + "tls.certificate and " + PREFIX
                            + "tls.private-key (PEM files), or " + PREFIX + "tls.self-signed=true (development), or "
                            + PREFIX + "tls.enabled=false for plain TCP (development)");
            return;
        }
        if (tls.getCertificate() == null) {
            problem("tls.certificate", null, "is needed with " + PREFIX + "tls.private-key");
            return;
        }
        if (tls.getPrivateKey() == null) {
            problem("tls.private-key", null, "is needed with " + PREFIX + "tls.certificate");
            return;
        }
        boolean files = readableFile("tls.certificate", tls.getCertificate())
                & readableFile("tls.private-key", tls.getPrivateKey());
        if (!files) {
            return;
        }
        try {
            new SaturnTls(tls.getCertificate(), tls.getPrivateKey()).fingerprint();
        } catch (IllegalArgumentException e) {
            problem("tls.certificate", tls.getCertificate(), "not a PEM certificate chain: " + e.getMessage());
            return;
        }
        try {
            // what the server's start does with them, here so that a bad key is told by its property
            SslContextBuilder.forServer(
                            tls.getCertificate().toFile(), tls.getPrivateKey().toFile())
                    .build();
        } catch (Exception e) {
            problem(
                    "tls.private-key",
                    tls.getPrivateKey(),
                    "not a PEM private key (PKCS#8) of the certificate: " + e.getMessage());
        }
    }

    private boolean readableFile(String property, Path file) {
        if (!Files.isRegularFile(file)) {
            problem(property, file, "no such file");
            return false;
        }
        if (!Files.isReadable(file)) {
            problem(property, file, "cannot be read by this process");
            return false;
        }
        return true;
    }

    private void apply(String property, @Nullable Object value, UnaryOperator<SaturnServerOptions> with) {
        try {
            options = with.apply(options);
        } catch (IllegalArgumentException e) {
            problem(property, value, e.getMessage());
        }
    }

    private void problem(String property, @Nullable Object value, String reason) {
        problems.add(new InvalidSaturnPropertiesException.Problem(PREFIX + property, value, reason));
    }
}
