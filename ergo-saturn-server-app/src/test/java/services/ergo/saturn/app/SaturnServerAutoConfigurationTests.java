package services.ergo.saturn.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.saturn.server.SaturnTls;

/** The auto-configuration with ApplicationContextRunner: real servers on real ports, real TLS handshakes. */
@ExtendWith(OutputCaptureExtension.class)
class SaturnServerAutoConfigurationTests {
    static final String TOKEN = "the-token-of-cluster-prod";
    static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SaturnServerAutoConfiguration.class))
            .withPropertyValues("saturn.server.port=0");

    private final ApplicationContextRunner plain =
            runner.withPropertyValues("saturn.server.tls.enabled=false", "saturn.server.clusters.prod=" + TOKEN);

    @Test
    void theDefaultsAreTheCoresButThePort() {
        assertThat(new SaturnServerProperties().getPort()).isEqualTo(4499);
        plain.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SaturnServerOptions.class))
                    .isEqualTo(SaturnServerOptions.defaults().withPort(0).withClusters(Map.of("prod", TOKEN)));
            SaturnServer server = context.getBean(SaturnServer.class);
            assertThat(server.port()).isPositive();
            assertThat(server.clusters()).containsExactly("prod");
        });
    }

    @Test
    void clustersTokensAndTheOtherPropertiesReachTheServer() {
        plain.withPropertyValues(
                        "saturn.server.clusters.staging=" + TOKEN + "-staging",
                        "saturn.server.tokens[0].cluster=prod",
                        "saturn.server.tokens[0].id=workers",
                        "saturn.server.tokens[0].secret=the-token-of-the-workers",
                        "saturn.server.tokens[0].names=worker\\d+@.*",
                        "saturn.server.ttl=3s",
                        "saturn.server.history-size=100",
                        "saturn.server.client-queue-bytes=65536",
                        "saturn.server.max-frame-bytes=1048576",
                        "saturn.server.page-entries=50",
                        "saturn.server.handshake-timeout=2s",
                        "saturn.server.registrations-per-second=100",
                        "saturn.server.registration-burst=10",
                        "saturn.server.round=0",
                        "saturn.server.io-threads=3")
                .run(context -> {
                    SaturnServerOptions o = context.getBean(SaturnServer.class).options();
                    assertThat(o.clusters()).containsOnlyKeys("prod", "staging");
                    assertThat(o.tokens()).singleElement().satisfies(t -> {
                        assertThat(t.cluster()).isEqualTo("prod");
                        assertThat(t.id()).isEqualTo("workers");
                        assertThat(t.names()).isEqualTo("worker\\d+@.*");
                    });
                    assertThat(o.ttl()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(o.historySize()).isEqualTo(100);
                    assertThat(o.clientQueueBytes()).isEqualTo(65536);
                    assertThat(o.limits().maxFrameBytes()).isEqualTo(1 << 20);
                    assertThat(o.pageEntries()).isEqualTo(50);
                    assertThat(o.handshakeTimeout()).isEqualTo(Duration.ofSeconds(2));
                    assertThat(o.registrationsPerSecond()).isEqualTo(100);
                    assertThat(o.registrationBurst()).isEqualTo(10);
                    assertThat(o.round()).isZero();
                    assertThat(o.ioThreads()).isEqualTo(3);
                    assertThat(context.getBean(SaturnServer.class).clusters()).containsExactly("prod", "staging");
                });
    }

    @Test
    void tlsIsRequiredUnlessSwitchedOffAndOffIsWarnedAbout(CapturedOutput output) {
        runner.withPropertyValues("saturn.server.clusters.prod=" + TOKEN).run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context).getDescription())
                    .contains("Property: saturn.server.tls")
                    .contains("Saturn serves TLS by default")
                    .contains("saturn.server.tls.self-signed=true")
                    .contains("saturn.server.tls.enabled=false");
        });
        plain.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SaturnServer.class).options().tls()).isNull();
        });
        assertThat(output).contains("WARN").contains("saturn.server.tls.enabled=false: Saturn serves plain TCP");
    }

    @Test
    void selfSignedStartsServesVerifiableTlsAndIsDeletedWithTheContext(CapturedOutput output) {
        Path[] files = new Path[2];
        runner.withPropertyValues("saturn.server.clusters.prod=" + TOKEN, "saturn.server.tls.self-signed=true")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SaturnServer server = context.getBean(SaturnServer.class);
                    SaturnTls tls = server.options().tls();
                    assertThat(tls).isNotNull();
                    files[0] = tls.certificateChain();
                    files[1] = tls.privateKey();
                    String fingerprint = SelfSignedCertificate.fingerprint(tls.fingerprint());

                    // a client that trusts the file and checks the host name completes the handshake
                    X509Certificate seen = handshake(server.port(), tls.certificateChain(), "localhost");
                    assertThat(SelfSignedCertificate.fingerprint(
                                    MessageDigest.getInstance("SHA-256").digest(seen.getEncoded())))
                            .isEqualTo(fingerprint);
                    assertThat(context.getBean(SaturnHealthIndicator.class)
                                    .health()
                                    .getDetails())
                            .containsEntry("tls", fingerprint);
                    assertThat(output)
                            .contains("WARN")
                            .contains("saturn.server.tls.self-signed=true")
                            .contains("for development only")
                            .contains(fingerprint)
                            .contains(tls.certificateChain().toString());
                    // a name the certificate is not for fails the host check
                    org.assertj.core.api.Assertions.assertThatThrownBy(
                                    () -> handshake(server.port(), tls.certificateChain(), "saturn.example.com"))
                            .isInstanceOf(SSLHandshakeException.class);
                });
        assertThat(files[0]).doesNotExist();
        assertThat(files[1]).doesNotExist();
    }

    @Test
    void pemFilesServeTls() {
        try (SelfSignedCertificate pem =
                SelfSignedCertificate.create(SelfSignedCertificate.names("127.0.0.1", java.util.List.of()))) {
            runner.withPropertyValues(
                            "saturn.server.clusters.prod=" + TOKEN,
                            "saturn.server.tls.certificate=" + pem.tls().certificateChain(),
                            "saturn.server.tls.private-key=" + pem.tls().privateKey())
                    .run(context -> {
                        assertThat(context).hasNotFailed();
                        SaturnServer server = context.getBean(SaturnServer.class);
                        assertThat(server.options().tls()).isEqualTo(pem.tls());
                        X509Certificate seen =
                                handshake(server.port(), pem.tls().certificateChain(), "127.0.0.1");
                        assertThat(MessageDigest.getInstance("SHA-256").digest(seen.getEncoded()))
                                .isEqualTo(pem.tls().fingerprint());
                    });
        }
    }

    @Test
    void everyBadPropertyIsNamedAtOnceAndNoTokenIsShown(@TempDir Path dir) throws Exception {
        Path notAKey = Files.writeString(dir.resolve("key.pem"), "not a key");
        try (SelfSignedCertificate pem =
                SelfSignedCertificate.create(SelfSignedCertificate.names("127.0.0.1", java.util.List.of()))) {
            runner.withPropertyValues(
                            "saturn.server.clusters.prod=short-secret",
                            "saturn.server.port=70000",
                            "saturn.server.ttl=10ms",
                            "saturn.server.history-size=0",
                            "saturn.server.round=2s",
                            "saturn.server.io-threads=-1",
                            "saturn.server.max-frame-bytes=100",
                            "saturn.server.tokens[0].cluster=prod",
                            "saturn.server.tokens[0].id=workers",
                            "saturn.server.tokens[0].secret=another-short",
                            "saturn.server.tls.certificate=" + pem.tls().certificateChain(),
                            "saturn.server.tls.private-key=" + notAKey)
                    .run(context -> {
                        assertThat(context).hasFailed();
                        String description = analysis(context).getDescription();
                        assertThat(description)
                                .contains("9 saturn.server.* properties are invalid")
                                .contains("Property: saturn.server.clusters.prod")
                                .contains("must have at least 16 characters")
                                .contains("Property: saturn.server.port\n    Value: \"70000\"")
                                .contains("Property: saturn.server.ttl")
                                .contains("Property: saturn.server.history-size")
                                .contains("Property: saturn.server.round")
                                .contains("Property: saturn.server.io-threads")
                                .contains("Property: saturn.server.max-frame-bytes")
                                .contains("Property: saturn.server.tokens[0]")
                                .contains("Property: saturn.server.tls.private-key")
                                .doesNotContain("short-secret")
                                .doesNotContain("another-short");
                    });
        }
        runner.withPropertyValues("saturn.server.tls.enabled=false").run(context -> {
            assertThat(context).hasFailed();
            assertThat(analysis(context).getDescription())
                    .contains("Property: saturn.server.clusters")
                    .contains("no cluster");
        });
        runner.withPropertyValues(
                        "saturn.server.clusters.prod=" + TOKEN,
                        "saturn.server.tls.self-signed=true",
                        "saturn.server.tls.certificate=/etc/saturn/fullchain.pem")
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: saturn.server.tls.self-signed")
                        .contains("remove one of them"));
    }

    @Test
    void aTakenPortIsToldByItsProperty() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            plain.withPropertyValues("saturn.server.port=" + taken.getLocalPort())
                    .run(context -> {
                        assertThat(context).hasFailed();
                        assertThat(analysis(context).getDescription())
                                .contains("Property: saturn.server.port")
                                .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
                    });
        }
    }

    /** Replaces the file as an editor or a deployment does: a new file renamed over the old one. */
    private static void replace(Path file, String yaml) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String cluster(String name) {
        return "  " + name + ":\n    token: " + TOKEN + "-" + name + "\n    config:\n      pool: 20\n";
    }

    @Test
    void aConfigFileAloneStartsTheServerWithItsClustersAndCustomizersStillApply(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("saturn.yaml"), "clusters:\n" + cluster("prod"));
        runner.withPropertyValues("saturn.server.tls.enabled=false", "saturn.server.config-file=" + yaml)
                .withUserConfiguration(Customizers.class)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SaturnServer server = context.getBean(SaturnServer.class);
                    assertThat(server.options().configFile()).isEqualTo(yaml);
                    assertThat(server.options().clusters())
                            .as("none from the properties")
                            .isEmpty();
                    assertThat(server.options().socketSendBufferBytes()).isEqualTo(65536);
                    assertThat(server.clusters()).containsExactly("prod");
                    assertThat(server.config("prod")).extracting(e -> e.value()).containsExactly("int:20");
                    var health = context.getBean(SaturnHealthIndicator.class).health();
                    assertThat(health.getDetails())
                            .containsEntry("clusters", Map.of("prod", Map.of("sessions", 0, "revision", 1L)))
                            .containsEntry(
                                    "config", Map.of("file", yaml.toString(), "reloads", 0L, "reloadFailures", 0L));
                });
    }

    @Test
    void aBadConfigFileStopsTheStartNamingThePropertyAndTheFilesKey(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(
                dir.resolve("saturn.yaml"),
                "clusters:\n  prod:\n    token: " + TOKEN + "\n    config:\n      a: [1]\n");
        runner.withPropertyValues("saturn.server.tls.enabled=false", "saturn.server.config-file=" + yaml)
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(analysis(context).getDescription())
                            .contains("Property: saturn.server.config-file")
                            .contains("Value: \"" + yaml + "\"")
                            .contains("at clusters.prod.config.a")
                            .doesNotContain(TOKEN);
                });
        runner.withPropertyValues("saturn.server.tls.enabled=false", "saturn.server.config-file=" + dir.resolve("no"))
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: saturn.server.config-file")
                        .contains("no such file"));
        Files.writeString(yaml, "clusters:\n" + cluster("prod"));
        plain.withPropertyValues("saturn.server.config-file=" + yaml)
                .run(
                        context -> assertThat(analysis(context).getDescription())
                                .contains("Property: saturn.server.config-file")
                                .contains(
                                        "names the clusters [prod] that saturn.server.clusters / saturn.server.tokens name too"));
        // a customizer naming the file's cluster is caught by the server's start, told the same way
        runner.withPropertyValues("saturn.server.tls.enabled=false", "saturn.server.config-file=" + yaml)
                .withBean(SaturnServerOptionsCustomizer.class, () -> o -> o.withClusters(Map.of("prod", TOKEN)))
                .run(context -> assertThat(analysis(context).getDescription())
                        .contains("Property: saturn.server.config-file")
                        .contains("cluster 'prod' is in the server's options and in its file"));
    }

    @Test
    void aReplacedConfigFileIsReloadedAndTheMetersAndHealthFollowItsClusters(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("saturn.yaml"), "clusters:\n" + cluster("prod"));
        runner.withPropertyValues("saturn.server.tls.enabled=false", "saturn.server.config-file=" + yaml)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    SaturnServer server = context.getBean(SaturnServer.class);
                    SimpleMeterRegistry simple = new SimpleMeterRegistry();
                    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
                    SaturnMetrics metrics = context.getBean(SaturnMetrics.class);
                    metrics.bindTo(simple);
                    metrics.bindTo(prometheus);
                    assertThat(simple.find("saturn.sessions")
                                    .tag("cluster", "new")
                                    .gauge())
                            .isNull();
                    assertThat(prometheus.scrape())
                            .contains("saturn_sessions{cluster=\"prod\"} 0")
                            .contains("saturn_config_reloads_total 0")
                            .contains("saturn_config_reload_failures_total 0");

                    replace(yaml, "clusters:\n" + cluster("prod") + cluster("new"));
                    await().atMost(WAIT).untilAsserted(() -> {
                        assertThat(simple.find("saturn.sessions")
                                        .tag("cluster", "new")
                                        .gauge())
                                .isNotNull();
                        assertThat(simple.get("saturn.config.reloads")
                                        .functionCounter()
                                        .count())
                                .isEqualTo(1);
                    });
                    assertThat(simple.get("saturn.revision")
                                    .tag("cluster", "new")
                                    .gauge()
                                    .value())
                            .isEqualTo(server.revision("new"));
                    assertThat(prometheus.scrape())
                            .contains("saturn_sessions{cluster=\"new\"} 0")
                            .contains("saturn_revision{cluster=\"new\"}")
                            .contains("saturn_client_queue_max_bytes{cluster=\"new\"}")
                            .contains("saturn_config_reloads_total 1");
                    @SuppressWarnings("unchecked")
                    Map<String, Object> config = (Map<String, Object>) context.getBean(SaturnHealthIndicator.class)
                            .health()
                            .getDetails()
                            .get("config");
                    assertThat(config).containsEntry("reloads", 1L).containsKey("lastReload");
                    assertThat(java.time.Instant.parse((String) config.get("lastReload")))
                            .isBeforeOrEqualTo(java.time.Instant.now());

                    // a bad file: counted, nothing changes; then a cluster gone takes its meters with it
                    replace(yaml, "clusters: [not, a, map]\n");
                    await().atMost(WAIT)
                            .until(() -> simple.get("saturn.config.reload.failures")
                                            .functionCounter()
                                            .count()
                                    == 1);
                    assertThat(server.clusters()).containsExactly("new", "prod");
                    replace(yaml, "clusters:\n" + cluster("new"));
                    await().atMost(WAIT)
                            .until(() -> simple.find("saturn.sessions")
                                            .tag("cluster", "prod")
                                            .gauge()
                                    == null);
                    assertThat(prometheus.scrape())
                            .doesNotContain("cluster=\"prod\"")
                            .contains("saturn_sessions{cluster=\"new\"} 0")
                            .contains("saturn_config_reloads_total 2")
                            .contains("saturn_config_reload_failures_total 1");
                });
    }

    @Test
    void beansOfTheApplicationReplaceThePropertiesAndTheServer() {
        runner.withUserConfiguration(OwnOptions.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(SaturnServerAutoConfiguration.SaturnServerTls.class);
            assertThat(context.getBean(SaturnServer.class).clusters()).containsExactly("own");
        });
    }

    @Test
    void healthIsUpWithTheCountsAndDownOnceClosedAndTheMetersFollowTheServer() {
        plain.run(context -> {
            SaturnServer server = context.getBean(SaturnServer.class);
            var health = context.getBean(SaturnHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails())
                    .containsEntry("port", server.port())
                    .containsEntry("sessions", 0)
                    .containsEntry("clusters", Map.of("prod", Map.of("sessions", 0, "revision", 0L)));

            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(SaturnMetrics.class).bindTo(registry);
            assertThat(registry.get("saturn.sessions")
                            .tag("cluster", "prod")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(registry.get("saturn.revision")
                            .tag("cluster", "prod")
                            .gauge()
                            .value())
                    .isZero();
            server.counters().badProofs.incrementAndGet();
            assertThat(registry.get("saturn.bad.proofs").functionCounter().count())
                    .isEqualTo(1);
            for (String counter : new String[] {
                "saturn.changes.encoded",
                "saturn.delta.frames",
                "saturn.delta.frames.built",
                "saturn.snapshots",
                "saturn.resyncs",
                "saturn.resumes",
                "saturn.registrations",
                "saturn.reclaims",
                "saturn.expired",
                "saturn.busy",
                "saturn.refused.frames",
                "saturn.names.refused",
                "saturn.names.taken",
                "saturn.revoked",
                "saturn.config.reloads",
                "saturn.config.reload.failures"
            }) {
                assertThat(registry.get(counter).functionCounter().count())
                        .as(counter)
                        .isZero();
            }

            server.close();
            assertThat(context.getBean(SaturnHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.DOWN);
        });
    }

    private static FailureAnalysis analysis(AssertableApplicationContext context) {
        // a failed context has no environment to show origins from; the jar's test sees them
        FailureAnalysis analysis =
                new InvalidSaturnPropertiesFailureAnalyzer(null).analyze(context.getStartupFailure());
        assertThat(analysis).as("a failure of saturn.server.* properties").isNotNull();
        return analysis;
    }

    /** A TLS handshake with Saturn's port, trusting {@code pem} only and checking the host name as HTTPS does. */
    static X509Certificate handshake(int port, Path pem, String host) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (var in = Files.newInputStream(pem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("c" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        java.net.Socket tcp = new java.net.Socket();
        tcp.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        tcp.setSoTimeout(5000);
        // layered on a connected socket, so that the name checked (and sent as SNI) is host, whatever it
        // resolves to
        try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(tcp, host, port, true)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Customizers {
        @Bean
        SaturnServerOptionsCustomizer smallerBuffers() {
            return options -> options.withSocketSendBufferBytes(65536);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class OwnOptions {
        @Bean
        SaturnServerOptions ownOptions() {
            return SaturnServerOptions.defaults().withClusters(Map.of("own", TOKEN));
        }
    }
}
