package services.ergo.spring.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
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

/**
 * An Ergo node in the application context: the {@link Node} bean, its registrar, the {@code @ErgoActor} beans and
 * the lifecycles that start them before the web server and drain and stop them after it. Every bean backs off to
 * one the application defines itself.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "ergo.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ErgoProperties.class, ErgoLeaderProperties.class})
public final class ErgoAutoConfiguration {

    /** Taken by every bean method that maps properties before the node starts, so that it is made first. */
    @Bean
    ErgoPropertiesCheck ergoPropertiesCheck(
            ConfigurableListableBeanFactory beanFactory, ErgoProperties properties, ErgoLeaderProperties leader) {
        return ErgoPropertiesCheck.run(beanFactory, properties, leader);
    }

    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean(Registrar.class)
    @ConditionalOnProperty(name = "ergo.registrar.type", havingValue = "embedded", matchIfMissing = true)
    EmbeddedRegistrar ergoEmbeddedRegistrar(ErgoProperties properties, ErgoPropertiesCheck checked) {
        return new EmbeddedRegistrar(
                EmbeddedRegistrarOptionsMapper.map(properties.getRegistrar().getEmbedded()));
    }

    @Bean
    @ConditionalOnMissingBean
    NodeOptions ergoNodeOptions(
            ErgoPropertiesCheck checked,
            ErgoProperties properties,
            ObjectProvider<Registrar> registrar,
            ObjectProvider<ErgoNodeOptionsCustomizer> customizers) {
        NodeOptions.Builder options = NodeOptionsMapper.map(properties, registrar.getIfUnique());
        customizers.orderedStream().forEach(c -> c.customize(options));
        return options.build();
    }

    @Bean(destroyMethod = "stop")
    @ConditionalOnMissingBean
    Node ergoNode(
            ErgoPropertiesCheck checked, ErgoProperties properties, NodeOptions options, Environment environment) {
        return Ergo.startNode(NodeOptionsMapper.nodeName(properties.getNode(), environment), options);
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoActors ergoActors(ConfigurableListableBeanFactory beanFactory, Node node) {
        return ErgoActors.scan(beanFactory, node);
    }

    @Bean
    @ConditionalOnMissingBean
    LeaderGroups ergoLeaderGroups(ErgoLeaderProperties properties, ErgoActors actors) {
        LeaderGroups groups = new LeaderGroups(
                LeaderOptionsMapper.map(properties.getGroups()), id -> "set ergo.leader.groups." + id + ".peers");
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
        var configured = ApplicationsMapper.map(actors.applications(), properties.getApplications());
        return new ErgoNodeLifecycle(
                node,
                actors,
                configured.definitions(),
                applications.orderedStream().toList(),
                configured.otherWeights(),
                NetworkOptionsMapper.remoteAccess(properties.getNetwork()),
                properties.getShutdown().getGracePeriod());
    }

    @Bean
    @ConditionalOnMissingBean
    ErgoDrainLifecycle ergoDrainLifecycle(Node node) {
        return new ErgoDrainLifecycle(node);
    }
}
