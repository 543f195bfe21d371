package services.ergo.saturn.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;

/**
 * The server's TLS: its certificate chain and private key, PEM files. The proofs of the handshake cover the
 * SHA-256 fingerprint of the chain's first certificate, so a relay that terminates TLS with another certificate
 * cannot pass a client's proof on.
 *
 * <pre>{@code
 * SaturnServerOptions.defaults().withTls(new SaturnTls(Path.of("fullchain.pem"), Path.of("private.pem")));
 * }</pre>
 */
public record SaturnTls(Path certificateChain, Path privateKey) {
    public SaturnTls {
        if (certificateChain == null || privateKey == null) {
            throw new IllegalArgumentException("saturn tls needs a certificate chain and a private key (PEM files)");
        }
    }

    SslContext context() {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .build();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "saturn tls: cannot read " + certificateChain + " and " + privateKey + ": " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 of the chain's first certificate (DER): what a client sees and its proof covers; what an operator
     * compares with a client's view ({@code openssl x509 -noout -fingerprint -sha256}).
     */
    public byte[] fingerprint() {
        try (InputStream in = Files.newInputStream(certificateChain)) {
            Collection<? extends Certificate> chain =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("saturn tls: no certificate in " + certificateChain);
            }
            return MessageDigest.getInstance("SHA-256")
                    .digest(chain.iterator().next().getEncoded());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "saturn tls: cannot read " + certificateChain + ": " + e.getMessage(), e);
        }
    }
}
