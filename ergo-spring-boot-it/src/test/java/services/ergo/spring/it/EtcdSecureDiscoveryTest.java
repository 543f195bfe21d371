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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.InetUtilsProperties;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import services.ergo.spring.test.AutoConfigureErgo;

/**
 * A web service on TLS with a management server of its own, whose node listens on every address, on a real etcd
 * (the test's own): Spring Cloud sees a secure instance whose URI answers over HTTPS at the address Spring Cloud's
 * InetUtils finds, and the management server's port and path in the metadata.
 */
@SpringBootTest(
        classes = WeightedApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.ssl.key-store-type=PKCS12",
            "server.ssl.key-store-password=secret",
            "management.server.port=0",
            "management.server.base-path=/manage",
            "ergo.node.name=tls@localhost",
            "ergo.network.host=0.0.0.0",
            // beyond loopback a node needs a cookie
            "ergo.node.cookie=secure-discovery",
            "ergo.applications.api.weight=10"
        })
@AutoConfigureErgo(etcd = true)
class EtcdSecureDiscoveryTest {
    private static String ip;
    private static Path keystore;
    private static Path certificate;

    @Autowired
    ConfigurableApplicationContext web;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        // the address the node must advertise: a certificate for it lets the test check the URI as a client would
        try (InetUtils inet = new InetUtils(new InetUtilsProperties())) {
            ip = inet.findFirstNonLoopbackHostInfo().getIpAddress();
        }
        keystore = dir.resolve("web.p12");
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
    }

    /** Read when the context starts, after {@link #start}: the key store holds a certificate for {@link #ip}. */
    @DynamicPropertySource
    static void keyStore(DynamicPropertyRegistry registry) {
        registry.add("server.ssl.key-store", () -> keystore.toUri().toString());
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

    private ServiceInstance instance() {
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
