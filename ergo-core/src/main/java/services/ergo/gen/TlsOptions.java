package services.ergo.gen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Whether and how a node encrypts its links. Default {@link #off()}. In both TLS modes each side presents a
 * certificate, and the fingerprints of both certificates go into the cookie handshake's proofs, so a
 * man in the middle holding other certificates cannot relay the handshake even when certificates are not verified.
 *
 * <pre>{@code
 * NetworkOptions.on().withTls(TlsOptions.selfSigned());                       // development
 * NetworkOptions.on().withTls(TlsOptions.certificates(
 *         Path.of("node.crt"), Path.of("node.key"), Path.of("cluster-ca.crt"))); // production
 * }</pre>
 *
 * <p>With certificates, a node's name is proven, not only claimed: each node's certificate must carry its full node
 * name as a subject alternative name, of type e-mail (rfc822Name) {@code worker1@localhost} or of type URI
 * {@code ergo://worker1@localhost} (the name part exactly, the host part in any case), besides the host it is dialed
 * at (a DNS or IP name). Each side checks the other's in the cookie handshake, against the name it gives there, and
 * refuses the connection, counted as a handshake failure, when it does not match. For example, with OpenSSL:
 *
 * <pre>{@code
 * openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
 *     -keyout worker1.key -out worker1.csr -subj "/CN=worker1"
 * echo "subjectAltName=DNS:localhost,email:worker1@localhost" > worker1.ext
 * openssl x509 -req -in worker1.csr -CA cluster-ca.crt -CAkey cluster-ca.key -CAcreateserial \
 *     -days 365 -extfile worker1.ext -out worker1.crt
 * }</pre>
 *
 * <p>In self-signed mode names are only claimed: the cookie is what admits a node.
 *
 * @param mode off, self-signed (a certificate made at start, peers' certificates not verified: encryption, with the
 *     cookie as the proof of membership), or certificates (PEM files; peers must present a certificate signed by a
 *     trusted one, both ways, that names the node they claim to be; and the acceptor's must name the host it is
 *     dialed at)
 * @param certificateChain PEM certificate chain of this node (certificates mode; null in the others); its first
 *     certificate carries the node's name ({@code email:} or {@code uri:ergo://} subject alternative name) and host
 * @param privateKey PEM PKCS#8 private key of this node (certificates mode; null in the others)
 * @param trustedCertificates PEM certificates that sign peers' certificates (certificates mode; null in the
 *     others)
 */
public record TlsOptions(
        Mode mode,
        @Nullable Path certificateChain,
        @Nullable Path privateKey,
        @Nullable Path trustedCertificates) {

    public enum Mode {
        OFF,
        SELF_SIGNED,
        CERTIFICATES
    }

    public TlsOptions {
        if (mode == null) {
            throw new InvalidOptionException("mode", "tls mode must not be null");
        }
        if (mode == Mode.CERTIFICATES) {
            List<String> missing = new ArrayList<>();
            if (certificateChain == null) {
                missing.add("certificateChain");
            }
            if (privateKey == null) {
                missing.add("privateKey");
            }
            if (trustedCertificates == null) {
                missing.add("trustedCertificates");
            }
            if (!missing.isEmpty()) {
                // the first one missing is the option named; the message lists every one to give
                throw new InvalidOptionException(
                        missing.get(0),
                        "tls certificates mode needs certificateChain, privateKey and trustedCertificates; missing: "
                                + String.join(", ", missing));
            }
        }
    }

    public static TlsOptions off() {
        return new TlsOptions(Mode.OFF, null, null, null);
    }

    public static TlsOptions selfSigned() {
        return new TlsOptions(Mode.SELF_SIGNED, null, null, null);
    }

    /**
     * Verified certificates, both ways. {@code certificateChain}'s first certificate must carry this node's full name
     * as a subject alternative name ({@code email:worker1@localhost} or {@code uri:ergo://worker1@localhost}) and the
     * host other nodes dial it at ({@code dns:} or {@code ip:}); a peer whose certificate does not name it is refused.
     */
    public static TlsOptions certificates(Path certificateChain, Path privateKey, Path trustedCertificates) {
        return new TlsOptions(Mode.CERTIFICATES, certificateChain, privateKey, trustedCertificates);
    }

    public boolean enabled() {
        return mode != Mode.OFF;
    }
}
