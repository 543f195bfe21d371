package services.ergo.spring.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;

/**
 * The etcd registrar under {@code ergo.registrar.etcd.*}, bound only by {@link ErgoEtcdRegistrarAutoConfiguration}
 * (so with {@code ergo-registrar-etcd} on the class path, which the defaults come from:
 * {@code EtcdRegistrarOptions.DEFAULT_*}).
 *
 * <pre>
 * ergo:
 *   registrar:
 *     type: etcd
 *     etcd:
 *       endpoints: http://etcd1:2379, http://etcd2:2379
 *       cluster: production
 * </pre>
 */
@ConfigurationProperties("ergo.registrar.etcd")
public class ErgoEtcdRegistrarProperties {

    /** etcd client URLs. */
    private List<String> endpoints = new ArrayList<>(List.of(EtcdRegistrarOptions.DEFAULT_ENDPOINT));

    /** The cluster's name: nodes see the nodes, applications and configuration of their cluster only. */
    private String cluster = EtcdRegistrarOptions.DEFAULT_CLUSTER;

    /** How long a node that stopped keeping its lease alive stays registered. */
    private Duration leaseTtl = EtcdRegistrarOptions.DEFAULT_LEASE_TTL;

    /** etcd user name, when etcd has authentication on. */
    private String username;

    /** etcd password, with username. */
    private String password;

    /** PEM CA certificates for https endpoints. */
    private Path trustedCertificates;

    /** How long one etcd request may take. */
    private Duration requestTimeout = EtcdRegistrarOptions.DEFAULT_REQUEST_TIMEOUT;

    public List<String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(List<String> endpoints) {
        this.endpoints = endpoints;
    }

    public String getCluster() {
        return cluster;
    }

    public void setCluster(String cluster) {
        this.cluster = cluster;
    }

    public Duration getLeaseTtl() {
        return leaseTtl;
    }

    public void setLeaseTtl(Duration leaseTtl) {
        this.leaseTtl = leaseTtl;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public Path getTrustedCertificates() {
        return trustedCertificates;
    }

    public void setTrustedCertificates(Path trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
    }

    public Duration getRequestTimeout() {
        return requestTimeout;
    }

    public void setRequestTimeout(Duration requestTimeout) {
        this.requestTimeout = requestTimeout;
    }
}
