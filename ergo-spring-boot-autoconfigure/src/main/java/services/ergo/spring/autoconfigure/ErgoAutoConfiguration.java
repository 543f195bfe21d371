package services.ergo.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import services.ergo.Ergo;
import services.ergo.gen.ApplicationBehavior;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Registrar;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderGroups;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.spring.actor.ErgoActors;
import services.ergo.spring.lifecycle.ErgoDrainLifecycle;
import services.ergo.spring.lifecycle.ErgoNodeLifecycle;
import services.ergo.spring.lifecycle.RemoteAccess;

/**
 * An Ergo node in the application context: the {@link Node} bean, its registrar, the {@code @ErgoActor} beans and
 * the lifecycles that start them before the web server and drain and stop them after it. Every bean backs off to
 * one the application defines itself.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "ergo.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ErgoProperties.class)
public final class ErgoAutoConfiguration {

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(Registrar.class)
    @ConditionalOnProperty(name = "ergo.registrar.type", havingValue = "embedded", matchIfMissing = true)
    EmbeddedRegistrar ergoEmbeddedRegistrar(ErgoProperties properties) {
        ErgoProperties.Embedded p = properties.getRegistrar().getEmbedded();
        ErgoNodeSettings.check(
                p.getPort() >= 0 && p.getPort() <= 65535,
                "ergo.registrar.embedded.port",
                p.getPort(),
                "Must be 0..65535 (0: a private registrar on a free port, for tests).");
        return new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults()
                .withPort(p.getPort())
                .withAddress(p.getHost())
                .withResolveTimeout(p.getResolveTimeout())
                .withRetryInterval(p.getRetryInterval()));
    }

    @Bean
    @ConditionalOnMissingBean
    NodeOptions ergoNodeOptions(
            ErgoProperties properties,
            ObjectProvider<Registrar> registrar,
            ObjectProvider<ErgoNodeOptionsCustomizer> customizers) {
        Registrar r = registrar.getIfUnique();
        if (r == null
                && properties.getNetwork().isEnabled()
                && properties.getRegistrar().getType() == ErgoProperties.RegistrarType.ETCD) {
            throw new InvalidConfigurationPropertyValueException(
                    "ergo.registrar.type",
                    "etcd",
                    "The etcd registrar needs services.ergo:ergo-registrar-etcd (with io.etcd:jetcd-core) on the"
                            + " classpath.");
        }
        NodeOptions.Builder b = ErgoNodeSettings.nodeOptions(properties, r == null ? null : () -> r);
        customizers.orderedStream().forEach(c -> c.customize(b));
        return b.build();
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    Node ergoNode(ErgoProperties properties, NodeOptions options, Environment environment) {
        return Ergo.startNode(ErgoNodeSettings.nodeName(properties, environment), options);
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoActors ergoActors(ConfigurableListableBeanFactory beanFactory, Node node) {
        return ErgoActors.scan(beanFactory, node);
    }

    @Bean
    @ConditionalOnMissingBean
    LeaderGroups ergoLeaderGroups(ErgoProperties properties, ErgoActors actors) {
        LeaderGroups groups = new LeaderGroups(
                ErgoNodeSettings.leaderGroups(properties.getLeader().getGroups()),
                id -> "set ergo.leader.groups." + id + ".peers");
        actors.addInstanceListener(actor -> {
            if (actor instanceof LeaderActor leader) {
                groups.track(leader);
            }
        });
        return groups;
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoNodeLifecycle ergoNodeLifecycle(
            LeaderGroups leaderGroups, // made first: it tracks the leader actors the lifecycle spawns
            Node node,
            ErgoActors actors,
            ErgoProperties properties,
            ObjectProvider<ApplicationBehavior> applications) {
        Map<String, Integer> otherWeights = new LinkedHashMap<>();
        var definitions =
                ErgoNodeSettings.applications(actors.applications(), properties.getApplications(), otherWeights);
        ErgoProperties.Network network = properties.getNetwork();
        RemoteAccess access = new RemoteAccess(
                network.getRemoteSpawn().getAllowedNodes(),
                network.getRemoteApplicationStart().getAllowedNodes());
        return new ErgoNodeLifecycle(
                node,
                actors,
                definitions,
                applications.orderedStream().toList(),
                otherWeights,
                access,
                properties.getShutdown().getGracePeriod());
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoDrainLifecycle ergoDrainLifecycle(Node node) {
        return new ErgoDrainLifecycle(node);
    }
}
