package services.ergo.saturn.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import services.ergo.saturn.server.SaturnTls;

/**
 * A certificate made at start for {@code saturn.server.tls.self-signed} (development): an EC P-256 key and a
 * certificate for the given names, as PEM files in a directory of their own that {@link #close()} deletes. The
 * names are subject alternative names, so a client that trusts the file also checks the host name.
 */
final class SelfSignedCertificate implements AutoCloseable {
    private static final Pattern IP = Pattern.compile("[0-9.]+|.*:.*");

    private final Path directory;
    private final SaturnTls tls;

    private SelfSignedCertificate(Path directory, SaturnTls tls) {
        this.directory = directory;
        this.tls = tls;
    }

    /** Localhost, the loopback addresses, {@code host} unless it is a wildcard, and {@code more}. */
    static Set<String> names(String host, List<String> more) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isEmpty()) {
            names.add(host);
        }
        more.stream().map(String::trim).filter(s -> !s.isEmpty()).forEach(names::add);
        return names;
    }

    static SelfSignedCertificate create(Set<String> names) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = g.generateKeyPair();
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=saturn self-signed (development)"),
                    new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofMinutes(5))),
                    Date.from(now.plus(Duration.ofDays(365))),
                    new X500Name("CN=saturn self-signed (development)"),
                    keys.getPublic());
            GeneralName[] alt = names.stream()
                    .map(n -> new GeneralName(IP.matcher(n).matches() ? GeneralName.iPAddress : GeneralName.dNSName, n))
                    .toArray(GeneralName[]::new);
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(alt));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));

            Path directory = privateDirectory();
            Path chain = directory.resolve("saturn-self-signed.pem");
            Path key = directory.resolve("saturn-self-signed-key.pem");
            Files.writeString(chain, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            return new SelfSignedCertificate(directory, new SaturnTls(chain, key));
        } catch (IOException e) {
            throw new UncheckedIOException("saturn.server.tls.self-signed: cannot write the certificate", e);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "saturn.server.tls.self-signed: cannot make a certificate: " + e.getMessage(), e);
        }
    }

    /** The files, for the server and for a client to trust ({@link SaturnTls#certificateChain()}). */
    SaturnTls tls() {
        return tls;
    }

    /** As {@code openssl x509 -noout -fingerprint -sha256} prints it: AB:CD:... */
    static String fingerprint(byte[] sha256) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256);
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(tls.privateKey());
            Files.deleteIfExists(tls.certificateChain());
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path privateDirectory() throws IOException {
        try {
            return Files.createTempDirectory(
                    "saturn-self-signed-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempDirectory("saturn-self-signed-");
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
