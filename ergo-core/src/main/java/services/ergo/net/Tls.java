package services.ergo.net;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import services.ergo.gen.ErgoException;
import services.ergo.gen.TlsOptions;

/**
 * The TLS contexts of a node's lanes, made once at start from {@link TlsOptions}, and the certificate
 * fingerprints the handshake binds its proofs to. With certificates, the dialer also checks the acceptor's
 * certificate names the host it dialed (Netty's default, HTTPS-style host name verification). Both sides always present a certificate, so both fingerprints
 * exist: the acceptor requires one from the dialer.
 */
final class Tls {
    final SslContext server;
    final SslContext client;

    private Tls(SslContext server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    /** The contexts for {@code options}; null when TLS is off. */
    static @Nullable Tls of(TlsOptions options, String nodeName) {
        try {
            return switch (options.mode()) {
                case OFF -> null;
                case SELF_SIGNED -> {
                    KeyPair keys = keyPair();
                    X509Certificate cert = selfSigned(keys, nodeName);
                    yield new Tls(
                            SslContextBuilder.forServer(keys.getPrivate(), cert)
                                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                                    .clientAuth(ClientAuth.REQUIRE)
                                    .build(),
                            SslContextBuilder.forClient()
                                    .keyManager(keys.getPrivate(), cert)
                                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                                    .endpointIdentificationAlgorithm(null) // nothing to check a name against
                                    .build());
                }
                case CERTIFICATES ->
                    new Tls(
                            SslContextBuilder.forServer(
                                            options.certificateChain().toFile(),
                                            options.privateKey().toFile())
                                    .trustManager(options.trustedCertificates().toFile())
                                    .clientAuth(ClientAuth.REQUIRE)
                                    .build(),
                            SslContextBuilder.forClient()
                                    .keyManager(
                                            options.certificateChain().toFile(),
                                            options.privateKey().toFile())
                                    .trustManager(options.trustedCertificates().toFile())
                                    .build());
            };
        } catch (Exception e) {
            throw new ErgoException("cannot set up TLS (" + options.mode() + "): " + e.getMessage(), e);
        }
    }

    static KeyPair keyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
        return g.generateKeyPair();
    }

    /**
     * A certificate for {@code subject}'s key, signed by {@code issuerKey} under {@code issuer}'s name; a
     * certificate authority's when {@code ca}.
     */
    static X509Certificate certificate(
            String subject,
            java.security.PublicKey key,
            String issuer,
            PrivateKey issuerKey,
            boolean ca,
            String... dnsNames)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuer),
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(365))),
                new X500Name("CN=" + subject),
                key);
        if (dnsNames.length > 0) {
            GeneralName[] names = new GeneralName[dnsNames.length];
            for (int i = 0; i < names.length; i++) {
                names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
            }
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        if (ca) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }

    private static X509Certificate selfSigned(KeyPair keys, String nodeName) throws Exception {
        String cn = nodeName.replaceAll("[^A-Za-z0-9.@_-]", "_");
        return certificate(cn, keys.getPublic(), cn, keys.getPrivate(), false);
    }

    /**
     * SHA-256 of the dialer's and the acceptor's certificates, in that order, from {@code tls}'s session; empty when
     * the lane is plain.
     */
    static byte[] binding(SslHandler tls, boolean dialer) {
        if (tls == null) {
            return new byte[0];
        }
        SSLSession session = tls.engine().getSession();
        Certificate[] mine = session.getLocalCertificates();
        Certificate[] theirs;
        try {
            theirs = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new ProtocolException("the peer presented no certificate");
        }
        if (mine == null || mine.length == 0 || theirs.length == 0) {
            throw new ProtocolException("a certificate is missing on the lane");
        }
        byte[] local = sha256(mine[0]);
        byte[] peer = sha256(theirs[0]);
        byte[] out = new byte[64];
        System.arraycopy(dialer ? local : peer, 0, out, 0, 32);
        System.arraycopy(dialer ? peer : local, 0, out, 32, 32);
        return out;
    }

    private static byte[] sha256(Certificate c) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
        } catch (Exception e) {
            throw new ProtocolException("cannot read a certificate: " + e.getMessage());
        }
    }
}
