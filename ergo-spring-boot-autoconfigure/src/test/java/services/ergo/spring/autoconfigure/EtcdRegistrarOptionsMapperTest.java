package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class EtcdRegistrarOptionsMapperTest {
    private final ErgoEtcdRegistrarProperties properties = new ErgoEtcdRegistrarProperties();

    @Test
    void unsetPropertiesAreTheCoresDefaults() {
        assertThat(EtcdRegistrarOptionsMapper.map(properties)).isEqualTo(EtcdRegistrarOptions.defaults());
    }

    @Test
    void everyPropertyIsApplied() {
        properties.setEndpoints(List.of("https://etcd1:2379", "https://etcd2:2379"));
        properties.setCluster("production");
        properties.setLeaseTtl(Duration.ofSeconds(3));
        properties.setUsername("ergo");
        properties.setPassword("secret");
        properties.setTrustedCertificates(Path.of("ca.pem"));
        properties.setRequestTimeout(Duration.ofSeconds(1));
        assertThat(EtcdRegistrarOptionsMapper.map(properties))
                .isEqualTo(EtcdRegistrarOptions.defaults()
                        .withEndpoints("https://etcd1:2379", "https://etcd2:2379")
                        .withCluster("production")
                        .withLeaseTtl(Duration.ofSeconds(3))
                        .withCredentials("ergo", "secret")
                        .withTrustedCertificates(Path.of("ca.pem"))
                        .withRequestTimeout(Duration.ofSeconds(1)));
    }

    @Test
    void everyRefusedValueIsListedAndAPasswordNeverShown() {
        properties.setEndpoints(List.of("etcd:2379"));
        properties.setCluster("a/b");
        properties.setLeaseTtl(Duration.ofMillis(10));
        properties.setRequestTimeout(Duration.ZERO);
        properties.setPassword("secret");
        assertThatThrownBy(() -> EtcdRegistrarOptionsMapper.map(properties))
                .isInstanceOfSatisfying(InvalidErgoPropertiesException.class, e -> {
                    assertThat(e.problems())
                            .extracting(Problem::property, Problem::value)
                            .containsExactly(
                                    tuple("ergo.registrar.etcd.endpoints", "etcd:2379"),
                                    tuple("ergo.registrar.etcd.cluster", "a/b"),
                                    tuple("ergo.registrar.etcd.lease-ttl", Duration.ofMillis(10)),
                                    tuple("ergo.registrar.etcd.request-timeout", Duration.ZERO),
                                    tuple("ergo.registrar.etcd.username", null));
                    assertThat(e.getMessage()).doesNotContain("secret");
                });
    }

    @Test
    void theCredentialMissingIsTheOneNamed() {
        properties.setUsername("ergo");
        assertThatThrownBy(() -> EtcdRegistrarOptionsMapper.map(properties))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("ergo.registrar.etcd.password");
                    assertThat(e.getReason()).isEqualTo("etcd user and password go together");
                });
    }

    @Test
    void noEndpointIsRefusedByTheCore() {
        properties.setEndpoints(List.of());
        assertThatThrownBy(() -> EtcdRegistrarOptionsMapper.map(properties))
                .isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, e -> {
                    assertThat(e.getName()).isEqualTo("ergo.registrar.etcd.endpoints");
                    assertThat(e.getReason()).isEqualTo("etcd registrar needs at least one endpoint");
                });
    }
}
