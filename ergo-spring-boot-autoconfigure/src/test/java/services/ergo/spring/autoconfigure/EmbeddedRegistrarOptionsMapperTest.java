package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class EmbeddedRegistrarOptionsMapperTest {
    private final ErgoProperties.Embedded properties = new ErgoProperties.Embedded();

    @Test
    void unsetPropertiesAreTheCoresDefaultsOnOneAddress() {
        EmbeddedRegistrar.Options core = EmbeddedRegistrar.Options.defaults();
        // ergo.registrar.embedded.host is both addresses, so the default resolves on localhost, not on every address
        assertThat(EmbeddedRegistrarOptionsMapper.map(properties)).isEqualTo(core.withAddress(core.host()));
    }

    @Test
    void everyPropertyIsApplied() {
        properties.setPort(0);
        properties.setHost("127.0.0.2");
        properties.setResolveTimeout(Duration.ofMillis(500));
        properties.setRetryInterval(Duration.ofMillis(200));
        properties.setLegacyResolve(true);
        assertThat(EmbeddedRegistrarOptionsMapper.map(properties))
                .isEqualTo(new EmbeddedRegistrar.Options(
                        "127.0.0.2", "127.0.0.2", 0, Duration.ofMillis(500), Duration.ofMillis(200), true));
    }

    @Test
    void everyRefusedValueIsListed() {
        properties.setPort(70000);
        properties.setHost("");
        properties.setResolveTimeout(Duration.ZERO);
        properties.setRetryInterval(null);
        assertThatThrownBy(() -> EmbeddedRegistrarOptionsMapper.map(properties))
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property)
                                .containsExactly(
                                        "ergo.registrar.embedded.port",
                                        "ergo.registrar.embedded.host",
                                        "ergo.registrar.embedded.resolve-timeout",
                                        "ergo.registrar.embedded.retry-interval"));
    }
}
