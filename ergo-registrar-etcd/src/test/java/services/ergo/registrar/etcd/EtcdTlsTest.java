package services.ergo.registrar.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.testkit.EtcdServer;

/** The registrar over TLS to an etcd whose certificate a private CA signed. */
class EtcdTlsTest {
    @TempDir
    Path dir;

    private static KeyPair keys() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, PublicKey key, String issuer, PrivateKey by, boolean ca)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuer),
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + subject),
                key);
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        } else {
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")
            }));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withRSA").build(by)));
    }

    private Path pem(String file, String type, byte[] der) throws Exception {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        Path p = dir.resolve(file);
        Files.writeString(p, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return p;
    }

    @Test
    void theRegistrarTrustsItsCaAndNothingElse() throws Exception {
        KeyPair caKeys = keys();
        X509Certificate ca = sign("test-ca", caKeys.getPublic(), "test-ca", caKeys.getPrivate(), true);
        KeyPair serverKeys = keys();
        X509Certificate server = sign("etcd", serverKeys.getPublic(), "test-ca", caKeys.getPrivate(), false);
        Path caFile = pem("ca.pem", "CERTIFICATE", ca.getEncoded());
        KeyPair otherKeys = keys();
        Path otherCa = pem(
                "other.pem",
                "CERTIFICATE",
                sign("other-ca", otherKeys.getPublic(), "other-ca", otherKeys.getPrivate(), true)
                        .getEncoded());
        try (EtcdServer etcd = EtcdServer.startTls(
                pem("etcd.pem", "CERTIFICATE", server.getEncoded()),
                pem("etcd-key.pem", "PRIVATE KEY", serverKeys.getPrivate().getEncoded()),
                caFile)) {
            assertThat(etcd.endpoint()).startsWith("https://");
            EtcdRegistrarOptions options = EtcdRegistrarOptions.defaults()
                    .withEndpoints(etcd.endpoint())
                    .withCluster("tls")
                    .withRequestTimeout(Duration.ofSeconds(2));
            Node a = Ergo.startNode(
                    "a@localhost",
                    NodeOptions.builder()
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> new EtcdRegistrar(options.withTrustedCertificates(caFile)))
                            .build());
            try {
                assertThat(a.network().registrar().nodes()).containsExactly("a@localhost");
                assertThat(etcd.etcdctl("get", "services/ergo/cluster/tls/routes/nodes/a@localhost"))
                        .contains("localhost:");
            } finally {
                a.stopForce();
            }
            assertThatThrownBy(() -> Ergo.startNode(
                            "b@localhost",
                            NodeOptions.builder()
                                    .network(NetworkOptions.on().withPort(0))
                                    .registrar(() -> new EtcdRegistrar(options.withTrustedCertificates(otherCa)))
                                    .build()))
                    .hasMessageContaining("cannot register b@localhost with etcd");
        }
    }
}
