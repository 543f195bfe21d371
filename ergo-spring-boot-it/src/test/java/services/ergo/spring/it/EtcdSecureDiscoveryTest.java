package services.ergo.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.testkit.EtcdServer;

/**
 * A web service on TLS with a management server of its own, whose node listens on every address: Spring Cloud
 * sees a secure instance whose URI answers over HTTPS at the address Spring Cloud's InetUtils finds, and the
 * management server's port and path in the metadata.
 */
class EtcdSecureDiscoveryTest {
    private static EtcdServer etcd;
    private static ConfigurableApplicationContext web;
    private static String ip;
    private static Path certificate;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // the address the node must advertise: a certificate for it lets the test check the URI as a client would
        try (InetUtils inet = new InetUtils(new InetUtilsProperties())) {
            ip = inet.findFirstNonLoopbackHostInfo().getIpAddress();
        }
        Path keystore = dir.resolve("web.p12");
        certificate = dir.resolve("web.crt");
        keytool(
                "-genkeypair",
                "-alias",
                "web",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "2",
                "-dname",
                "CN=ergo-test",
                "-ext",
                "SAN=ip:" + ip + ",dns:localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "secret");
        keytool(
                "-exportcert",
                "-rfc",
                "-alias",
                "web",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "secret",
                "-file",
                certificate.toString());

        etcd = EtcdServer.start();
        web = new SpringApplicationBuilder(WeightedApplication.class)
                .properties(
                        "server.port=0",
                        "server.ssl.key-store=" + keystore.toUri(),
                        "server.ssl.key-store-type=PKCS12",
                        "server.ssl.key-store-password=secret",
                        "management.server.port=0",
                        "management.server.base-path=/manage",
                        "ergo.node.name=tls@localhost",
                        "ergo.network.host=0.0.0.0",
                        "ergo.network.port=0",
                        "ergo.registrar.type=etcd",
                        "ergo.registrar.etcd.endpoints=" + etcd.endpoint(),
                        "ergo.registrar.etcd.cluster=secure",
                        "ergo.applications.api.weight=10")
                .run();
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(out).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (web != null) {
            web.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    private static ServiceInstance instance() {
        DiscoveryClient discovery = web.getBean(DiscoveryClient.class);
        return Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> discovery.getInstances("api"), list -> !list.isEmpty())
                .get(0);
    }

    @Test
    void aTlsServerIsASecureInstanceWithAnHttpsUri() throws Exception {
        ServiceInstance instance = instance();
        int port = Integer.parseInt(web.getEnvironment().getProperty("local.server.port"));
        assertThat(instance.isSecure()).isTrue();
        assertThat(instance.getMetadata()).containsEntry("secure", "true");
        assertThat(instance.getUri()).isEqualTo(URI.create("https://" + ip + ":" + port));

        HttpClient client =
                HttpClient.newBuilder().sslContext(trusting(certificate)).build();
        HttpResponse<String> who = client.send(
                HttpRequest.newBuilder(instance.getUri().resolve("/who")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(who.body()).isEqualTo("tls@localhost");
    }

    @Test
    void aWildcardNodeHostIsReplacedByTheAddressInetUtilsFinds() {
        assertThat(instance().getHost())
                .isEqualTo(web.getBean(InetUtils.class)
                        .findFirstNonLoopbackHostInfo()
                        .getIpAddress())
                .isEqualTo(ip);
    }

    @Test
    void theManagementServerIsInTheMetadata() {
        assertThat(instance().getMetadata())
                .containsEntry("management.port", web.getEnvironment().getProperty("local.management.port"))
                .containsEntry("management.context-path", "/manage/actuator")
                .containsEntry("weight", "10")
                .containsEntry("node", "tls@localhost");
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry(
                    "web", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        return ssl;
    }
}
