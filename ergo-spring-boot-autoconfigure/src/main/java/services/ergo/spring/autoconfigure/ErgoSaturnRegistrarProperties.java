package services.ergo.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The Saturn registrar under {@code ergo.registrar.saturn.*}, bound only by {@link
 * ErgoSaturnRegistrarAutoConfiguration} (so with {@code ergo-registrar-saturn} on the class path). TLS is on and
 * verified unless switched off.
 *
 * <pre>
 * ergo:
 *   registrar:
 *     type: saturn
 *     saturn:
 *       servers: saturn1:4499, saturn2:4499
 *       cluster: production
 *       token: ${SATURN_TOKEN}
 *       tls:
 *         trusted-certificates: /etc/saturn/ca.pem
 * </pre>
 */
@ConfigurationProperties("ergo.registrar.saturn")
public class ErgoSaturnRegistrarProperties {

    /** {@code host:port} of each Saturn server, tried in random order. */
    private List<String> servers = new ArrayList<>(List.of("localhost:4499"));

    /** The cluster's name: nodes see the nodes and applications of their cluster only. */
    private String cluster = "default";

    /** The cluster's token, proven to the server by challenge and never sent. */
    private String token;

    /**
     * Which of the cluster's tokens {@code token} is, when the server gave this node one of its named tokens
     * (which may claim some node names only); empty: the cluster's own token.
     */
    private String tokenId = "";

    /** How long the handshake and the first view may take on one connection (a start fails after three). */
    private Duration registerTimeout = Duration.ofSeconds(5);

    /** The first reconnect delay's bound; each delay is drawn from the upper half of its bound. */
    private Duration backoffMin = Duration.ofMillis(100);

    /** The largest reconnect delay bound: the bound doubles per failed attempt up to it. */
    private Duration backoffMax = Duration.ofSeconds(10);

    private final Tls tls = new Tls();

    public List<String> getServers() {
        return servers;
    }

    public void setServers(List<String> servers) {
        this.servers = servers;
    }

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }

    public String getTokenId() {
        return tokenId;
    }

    public void setTokenId(String tokenId) {
        this.tokenId = tokenId;
    }

    public Duration getRegisterTimeout() {
        return registerTimeout;
    }

    public void setRegisterTimeout(Duration registerTimeout) {
        this.registerTimeout = registerTimeout;
    }

    public Duration getBackoffMin() {
        return backoffMin;
    }

    public void setBackoffMin(Duration backoffMin) {
        this.backoffMin = backoffMin;
    }

    public Duration getBackoffMax() {
        return backoffMax;
    }

    public void setBackoffMax(Duration backoffMax) {
        this.backoffMax = backoffMax;
    }

    public Tls getTls() {
        return tls;
    }

    /** TLS to the servers. */
    public static class Tls {
        /** Whether to speak TLS; off only for development on a trusted network. */
        private boolean enabled = true;

        /** PEM certificates to verify the servers' against (a CA, or a server's own); none: the JVM's. */
        private Path trustedCertificates;

        /** Accept any server certificate: development only (the token proofs still bind to the one seen). */
        private boolean insecureTrustAny;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Path getTrustedCertificates() {
            return trustedCertificates;
        }

        public void setTrustedCertificates(Path trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }

        public boolean isInsecureTrustAny() {
            return insecureTrustAny;
        }

        public void setInsecureTrustAny(boolean insecureTrustAny) {
            this.insecureTrustAny = insecureTrustAny;
        }
    }
}
