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
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
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
 * certificate names the host it dialed (Netty's default, HTTPS-style host name verification), and each side checks
 * the other's certificate names the node it claims to be in the cookie handshake ({@link #checkPeerName}). Both
 * sides always present a certificate, so both fingerprints exist: the acceptor requires one from the dialer.
 */
final class Tls {
    /** The scheme of a URI subject alternative name that names a node: {@code ergo://worker1@localhost}. */
    static final String NODE_URI_SCHEME = "ergo://";

    // the types of subject alternative names, as X509Certificate.getSubjectAlternativeNames gives them
    private static final int SAN_EMAIL = 1;
    private static final int SAN_DNS = 2;
    private static final int SAN_URI = 6;
    private static final int SAN_IP = 7;

    final SslContext server;
    final SslContext client;
    /**
     * Whether peers' certificates are verified, so that the node names they carry are proven (certificates mode);
     * in self-signed mode a name is only claimed.
     */
    private final boolean provesNames;

    private Tls(SslContext server, SslContext client, boolean provesNames) {
        this.server = server;
        this.client = client;
        this.provesNames = provesNames;
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
                                    .build(),
                            false);
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
                                    .build(),
                            true);
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
     * certificate authority's when {@code ca}. {@code altNames} are its subject alternative names as keytool's
     * {@code -ext SAN=} writes them: {@code dns:localhost}, {@code email:worker1@localhost},
     * {@code uri:ergo://worker1@localhost}, {@code ip:127.0.0.1}.
     */
    static X509Certificate certificate(
            String subject,
            java.security.PublicKey key,
            String issuer,
            PrivateKey issuerKey,
            boolean ca,
            String... altNames)
            throws Exception {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                new X500Name("CN=" + issuer),
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(365))),
                new X500Name("CN=" + subject),
                key);
        if (altNames.length > 0) {
            GeneralName[] names = new GeneralName[altNames.length];
            for (int i = 0; i < names.length; i++) {
                int colon = altNames[i].indexOf(':');
                String value = altNames[i].substring(colon + 1);
                names[i] = switch (altNames[i].substring(0, Math.max(colon, 0))) {
                    case "dns" -> new GeneralName(GeneralName.dNSName, value);
                    case "email" -> new GeneralName(GeneralName.rfc822Name, value);
                    case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
                    case "ip" -> new GeneralName(GeneralName.iPAddress, value);
                    default -> throw new IllegalArgumentException("not type:value: " + altNames[i]);
                };
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

    /**
     * Throws unless the certificate the peer presented on {@code lane} names {@code claimed}, the node name it gave
     * in the cookie handshake: a subject alternative name of type rfc822Name (e-mail) {@code worker1@localhost}, or
     * of type URI {@code ergo://worker1@localhost}. The name part must match exactly, the host part in any ASCII
     * case. Does nothing in self-signed mode, where no certificate is verified and names are only claimed.
     */
    void checkPeerName(@Nullable SslHandler lane, String claimed) {
        if (!provesNames) {
            return;
        }
        if (lane == null) {
            throw new ProtocolException("the lane of " + claimed + " is not TLS");
        }
        Certificate[] theirs;
        try {
            theirs = lane.engine().getSession().getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw new ProtocolException("the peer presented no certificate");
        }
        if (theirs.length == 0 || !(theirs[0] instanceof X509Certificate cert)) {
            throw new ProtocolException("the peer presented no X.509 certificate");
        }
        if (!names(cert, claimed)) {
            throw new ProtocolException("certificate of " + claimed
                    + " does not name it: its subject alternative names are " + altNames(cert)
                    + " (it needs email:" + claimed + " or uri:" + NODE_URI_SCHEME + claimed + ")");
        }
    }

    /** Whether {@code cert} carries the node name {@code node} as a subject alternative name (see {@link #checkPeerName}). */
    static boolean names(X509Certificate cert, String node) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        for (List<?> san : sans) {
            if (!(san.get(1) instanceof String value)) {
                continue;
            }
            int type = (Integer) san.get(0);
            if (type == SAN_EMAIL && sameNode(value, node)) {
                return true;
            }
            if (type == SAN_URI
                    && value.regionMatches(true, 0, NODE_URI_SCHEME, 0, NODE_URI_SCHEME.length())
                    && sameNode(value.substring(NODE_URI_SCHEME.length()), node)) {
                return true;
            }
        }
        return false;
    }

    /** {@code name@host} equal to {@code node}: the name exactly, the host in any ASCII case. */
    private static boolean sameNode(String named, String node) {
        int at = node.indexOf('@');
        if (at <= 0 || named.length() != node.length() || !named.regionMatches(0, node, 0, at + 1)) {
            return false;
        }
        for (int i = at + 1; i < node.length(); i++) {
            if (asciiLower(named.charAt(i)) != asciiLower(node.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /** {@code cert}'s subject alternative names as keytool writes them, for messages. */
    private static String altNames(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    String kind = switch (type) {
                        case SAN_EMAIL -> "email";
                        case SAN_DNS -> "dns";
                        case SAN_URI -> "uri";
                        case SAN_IP -> "ip";
                        default -> "type" + type;
                    };
                    out.add(san.get(1) instanceof String value ? kind + ":" + value : kind);
                }
            }
        } catch (CertificateParsingException e) {
            out.add("unreadable: " + e.getMessage());
        }
        return out.toString();
    }

    private static byte[] sha256(Certificate c) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
        } catch (Exception e) {
            throw new ProtocolException("cannot read a certificate: " + e.getMessage());
        }
    }
}
