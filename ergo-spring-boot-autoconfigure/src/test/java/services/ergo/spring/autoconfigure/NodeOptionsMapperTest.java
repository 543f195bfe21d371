package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NodeOptions;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class NodeOptionsMapperTest {
    private final ErgoProperties properties = new ErgoProperties();

    @Test
    void unsetPropertiesAreTheCoresDefaults() {
        NodeOptions mapped = NodeOptionsMapper.map(properties, null).build();
        NodeOptions core = NodeOptions.defaults();
        assertThat(mapped.cookie()).isEqualTo(core.cookie());
        assertThat(mapped.schedulerThreads()).isEqualTo(core.schedulerThreads());
        assertThat(mapped.callTimeout()).isEqualTo(core.callTimeout());
        assertThat(mapped.network()).isEqualTo(core.network());
        assertThat(mapped.registrar()).isNull(); // the core's embedded registrar
    }

    @Test
    void everyPropertyIsAppliedAndTheRegistrarBeanIsTheNodes() {
        ErgoProperties.Node node = properties.getNode();
        node.setCookie("secret");
        node.setSchedulerThreads(3);
        node.setCallTimeout(Duration.ofSeconds(9));
        node.setEnv(Map.of("region", "eu"));
        properties.getNetwork().setPort(0);
        EmbeddedRegistrar registrar =
                new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(0));
        NodeOptions mapped = NodeOptionsMapper.map(properties, registrar).build();
        assertThat(mapped.cookie()).isEqualTo("secret");
        assertThat(mapped.schedulerThreads()).isEqualTo(3);
        assertThat(mapped.callTimeout()).isEqualTo(Duration.ofSeconds(9));
        assertThat(mapped.env()).containsEntry("region", "eu");
        assertThat(mapped.network()).isEqualTo(NetworkOptions.on().withPort(0));
        assertThat(mapped.registrar().get()).isSameAs(registrar);
    }

    @Test
    void anEmptyCookieWithAnAcceptorBeyondLoopbackStopsTheStartNamingTheCookie() {
        properties.getNetwork().setHost("0.0.0.0");
        assertThatThrownBy(() -> NodeOptionsMapper.map(properties, null))
                .isInstanceOfSatisfying(
                        InvalidConfigurationPropertyValueException.class,
                        e -> assertThat(e.getName()).isEqualTo("ergo.node.cookie"))
                .hasMessageContaining("beyond loopback");
        properties.getNode().setCookie("secret");
        assertThat(NodeOptionsMapper.map(properties, null).build().cookie()).isEqualTo("secret");
        properties.getNode().setCookie(null);
        properties.getNetwork().setHost("127.0.0.1"); // on loopback the core only warns
        assertThat(NodeOptionsMapper.map(properties, null).build().network().host())
                .isEqualTo("127.0.0.1");
    }

    @Test
    void threeBadValuesOfNodeAndNetworkAreListedTogether() {
        properties.getNode().setSchedulerThreads(0);
        properties.getNode().setCallTimeout(Duration.ZERO);
        properties.getNetwork().setPoolSize(65);
        assertThatThrownBy(() -> NodeOptionsMapper.map(properties, null))
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property, Problem::value, Problem::reason)
                                .containsExactly(
                                        org.assertj.core.groups.Tuple.tuple(
                                                "ergo.node.scheduler-threads",
                                                0,
                                                "schedulerThreads must be >= 1, got 0"),
                                        org.assertj.core.groups.Tuple.tuple(
                                                "ergo.node.call-timeout",
                                                Duration.ZERO,
                                                "callTimeout must be > 0, got PT0S"),
                                        org.assertj.core.groups.Tuple.tuple(
                                                "ergo.network.pool-size",
                                                65,
                                                "network poolSize must be 1..64, got 65")));
    }

    @Test
    void theEtcdTypeWithoutItsRegistrarIsRefusedUnlessTheNetworkIsOff() {
        properties.getRegistrar().setType(ErgoProperties.RegistrarType.ETCD);
        assertThatThrownBy(() -> NodeOptionsMapper.map(properties, null))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("ergo.registrar.type");
                    assertThat(e.getReason()).contains("ergo-registrar-etcd");
                });
        properties.getNetwork().setEnabled(false);
        assertThat(NodeOptionsMapper.map(properties, null).build().network().enabled())
                .isFalse();
    }

    @Test
    void theNameDefaultsToTheApplicationNameAndMustBeNameAtHost() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("spring.application.name", "billing")));
        assertThat(NodeOptionsMapper.nodeName(properties.getNode(), environment))
                .startsWith("billing@");
        properties.getNode().setName("worker@localhost");
        assertThat(NodeOptionsMapper.nodeName(properties.getNode(), environment))
                .isEqualTo("worker@localhost");
        for (String bad : new String[] {"no-host", "@h", "n@", "a@b@c", "a b@h"}) {
            properties.getNode().setName(bad);
            assertThatThrownBy(() -> NodeOptionsMapper.nodeName(properties.getNode(), environment))
                    .as(bad)
                    .isInstanceOfSatisfying(
                            InvalidConfigurationPropertyValueException.class,
                            e -> assertThat(e.getName()).isEqualTo("ergo.node.name"));
        }
    }
}
