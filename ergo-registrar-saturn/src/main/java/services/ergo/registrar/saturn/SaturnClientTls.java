package services.ergo.registrar.saturn;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * How a {@link SaturnRegistrar} speaks TLS to its servers. Verified means the server's certificate chains to the
 * trusted certificates (or the JVM's defaults) and names the host dialled; {@link #insecureTrustAny()} skips
 * that for development only, and still binds the token proofs to the certificate the client saw, so a relay in
 * the middle cannot pass them on.
 *
 * <pre>{@code
 * SaturnRegistrarOptions.defaults().withTls(SaturnClientTls.trusting(Path.of("saturn-ca.pem")));
 * }</pre>
 */
public record SaturnClientTls(boolean enabled, @Nullable Path trustedCertificates, boolean trustAny) {

    /** Plain TCP. */
    public static SaturnClientTls off() {
        return new SaturnClientTls(false, null, false);
    }

    /** TLS verified against the JVM's trusted certificates. */
    public static SaturnClientTls verified() {
        return new SaturnClientTls(true, null, false);
    }

    /** TLS verified against the certificates in {@code pem} (a CA, or the server's own self-signed one). */
    public static SaturnClientTls trusting(Path pem) {
        return new SaturnClientTls(true, pem, false);
    }

    /** TLS that accepts any certificate: for development only. */
    public static SaturnClientTls insecureTrustAny() {
        return new SaturnClientTls(true, null, true);
    }

    SslContext context() {
        try {
            SslContextBuilder b =
                    SslContextBuilder.forClient().endpointIdentificationAlgorithm(trustAny ? null : "HTTPS");
            if (trustAny) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (trustedCertificates != null) {
                b.trustManager(trustedCertificates.toFile());
            }
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "ergo.registrar.saturn.tls: cannot use " + trustedCertificates + ": " + e.getMessage(), e);
        }
    }
}
