package services.ergo.saturn.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.BindException;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.netty.ChannelBindException;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;
import services.ergo.saturn.server.SaturnTls;

/**
 * Starts a {@link SaturnServer} from the {@code saturn.server.*} properties ({@link SaturnServerProperties}), closed
 * with the context, and gives it a {@code saturn} health contributor and meters. TLS is required unless
 * {@code saturn.server.tls.enabled=false}; every property that is wrong is told before the port is opened.
 *
 * <p>Beans of its own replace each step: a {@link SaturnServerOptions} bean replaces the properties (then
 * saturn.server.* is not read), a {@link SaturnServer} bean the server, and {@link SaturnServerOptionsCustomizer}
 * beans change the options the properties made.
 *
 * <p>{@code saturn.server.config-file} is read here first, so that a bad {@code saturn.yaml} stops the start with
 * the property's name and the file's key path, then handed to the server ({@link
 * SaturnServerOptions#withConfigFile}), which reads it at its start and again whenever it changes; the meters
 * follow the clusters a reload adds or removes.
 */
@AutoConfiguration
@EnableConfigurationProperties(SaturnServerProperties.class)
public final class SaturnServerAutoConfiguration {
    private static final Logger LOG = LoggerFactory.getLogger(SaturnServerAutoConfiguration.class);

    /** The TLS the properties ask for: the PEM files, a certificate made now (self-signed), or none. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean({SaturnServerOptions.class, SaturnServerTls.class})
    SaturnServerTls saturnServerTls(SaturnServerProperties properties) {
        PropertyMapping.options(properties); // every property checked before a certificate is made
        SaturnServerProperties.Tls tls = properties.getTls();
        if (!tls.isEnabled()) {
            LOG.warn("saturn.server.tls.enabled=false: Saturn serves plain TCP, for development only; the tokens are"
                    + " never sent, but routes, metadata and configuration cross the network readable");
            return new SaturnServerTls(null, null);
        }
        if (tls.isSelfSigned()) {
            SelfSignedCertificate made = SelfSignedCertificate.create(
                    SelfSignedCertificate.names(properties.getHost(), tls.getSelfSignedNames()));
            LOG.warn(
                    "saturn.server.tls.self-signed=true: serving a certificate made at start, for development only;"
                            + " SHA-256 fingerprint {}; clients trust it with"
                            + " ergo.registrar.saturn.tls.trusted-certificates={}",
                    SelfSignedCertificate.fingerprint(made.tls().fingerprint()),
                    made.tls().certificateChain());
            return new SaturnServerTls(made.tls(), made);
        }
        SaturnTls pem = PropertyMapping.tls(tls);
        LOG.info(
                "saturn tls from {}, SHA-256 fingerprint {}",
                pem.certificateChain(),
                SelfSignedCertificate.fingerprint(pem.fingerprint()));
        return new SaturnServerTls(pem, null);
    }

    @Bean
    @ConditionalOnMissingBean
    SaturnServerOptions saturnServerOptions(
            SaturnServerProperties properties,
            SaturnServerTls tls,
            ObjectProvider<SaturnServerOptionsCustomizer> customizers) {
        SaturnServerOptions options = PropertyMapping.options(properties).withTls(tls.tls());
        List<SaturnServerOptionsCustomizer> all = customizers.orderedStream().toList();
        for (SaturnServerOptionsCustomizer customizer : all) {
            options = customizer.customize(options);
        }
        PropertyMapping.requireClusters(options, properties);
        return options;
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SaturnServer saturnServer(SaturnServerOptions options, SaturnServerProperties properties) {
        try {
            return SaturnServer.start(options);
        } catch (IllegalArgumentException e) {
            // checked with the properties already: the file changed since, or a customizer named its clusters
            if (options.configFile() != null && options.configFile().equals(properties.getConfigFile())) {
                throw new InvalidSaturnPropertiesException(List.of(new InvalidSaturnPropertiesException.Problem(
                        PropertyMapping.PREFIX + "config-file", options.configFile(), e.getMessage())));
            }
            throw e;
        } catch (RuntimeException e) {
            if (e instanceof ChannelBindException || causedBy(e, BindException.class)) {
                throw new InvalidSaturnPropertiesException(List.of(new InvalidSaturnPropertiesException.Problem(
                        PropertyMapping.PREFIX + "port",
                        options.port(),
                        "cannot listen on " + options.host() + ":" + options.port() + " (" + rootMessage(e)
                                + "); choose another saturn.server.port or saturn.server.host")));
            }
            throw e;
        }
    }

    /**
     * What TLS the server got, and the certificate to delete with the context when it was made at start.
     *
     * @param tls the files the server reads; null: plain TCP
     * @param selfSigned the certificate made for saturn.server.tls.self-signed, else null
     */
    public record SaturnServerTls(
            @Nullable SaturnTls tls, @Nullable AutoCloseable selfSigned) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            if (selfSigned != null) {
                selfSigned.close();
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static final class HealthConfiguration {
        @Bean
        @ConditionalOnMissingBean(name = "saturnHealthIndicator")
        SaturnHealthIndicator saturnHealthIndicator(SaturnServer server) {
            return new SaturnHealthIndicator(server);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static final class MetricsConfiguration {
        @Bean
        @ConditionalOnMissingBean
        SaturnMetrics saturnMetrics(SaturnServer server) {
            return new SaturnMetrics(server);
        }
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
