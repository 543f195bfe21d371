package services.ergo.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Registrar;
import services.ergo.registrar.etcd.EtcdRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;

/** The etcd registrar, when {@code ergo.registrar.type=etcd} and {@code ergo-registrar-etcd} is on the classpath. */
@AutoConfiguration(before = ErgoAutoConfiguration.class)
@ConditionalOnClass(EtcdRegistrar.class)
@ConditionalOnBooleanProperty(name = "ergo.enabled", matchIfMissing = true)
@ConditionalOnProperty(name = "ergo.registrar.type", havingValue = "etcd")
@EnableConfigurationProperties(ErgoProperties.class)
public final class ErgoEtcdRegistrarAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(Registrar.class)
    EtcdRegistrar ergoEtcdRegistrar(ErgoProperties properties) {
        ErgoProperties.Etcd p = properties.getRegistrar().getEtcd();
        String prefix = "ergo.registrar.etcd.";
        ErgoNodeSettings.check(
                p.getEndpoints() != null && !p.getEndpoints().isEmpty(),
                prefix + "endpoints",
                p.getEndpoints(),
                "At least one etcd client URL, for example http://localhost:2379.");
        for (String endpoint : p.getEndpoints()) {
            ErgoNodeSettings.check(
                    endpoint.startsWith("http://") || endpoint.startsWith("https://"),
                    prefix + "endpoints",
                    endpoint,
                    "An etcd client URL starts with http:// or https://.");
        }
        String cluster = p.getCluster();
        ErgoNodeSettings.check(
                cluster != null && !cluster.isBlank() && !cluster.contains("/"),
                prefix + "cluster",
                cluster,
                "A non-empty name without '/'.");
        ErgoNodeSettings.check(
                p.getLeaseTtl() != null && p.getLeaseTtl().toSeconds() >= 1,
                prefix + "lease-ttl",
                p.getLeaseTtl(),
                "At least 1s.");
        ErgoNodeSettings.check(
                (p.getUsername() == null) == (p.getPassword() == null),
                prefix + (p.getUsername() == null ? "username" : "password"),
                null,
                "username and password go together.");
        ErgoNodeSettings.check(
                p.getRequestTimeout() != null && p.getRequestTimeout().toMillis() >= 1,
                prefix + "request-timeout",
                p.getRequestTimeout(),
                "Must be longer than 0.");
        EtcdRegistrarOptions options = EtcdRegistrarOptions.defaults()
                .withEndpoints(p.getEndpoints().toArray(String[]::new))
                .withCluster(cluster)
                .withLeaseTtl(p.getLeaseTtl())
                .withRequestTimeout(p.getRequestTimeout());
        if (p.getUsername() != null) {
            options = options.withCredentials(p.getUsername(), p.getPassword());
        }
        if (p.getTrustedCertificates() != null) {
            options = options.withTrustedCertificates(p.getTrustedCertificates());
        }
        return new EtcdRegistrar(options);
    }
}
