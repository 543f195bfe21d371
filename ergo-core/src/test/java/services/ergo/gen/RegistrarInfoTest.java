package services.ergo.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistrarInfoTest {

    @Test
    void printsAsItsDescriptionAndNodesOnlyHasNoCapability() {
        RegistrarInfo info = RegistrarInfo.nodesOnly("static routes");
        assertThat(info.toString()).isEqualTo("static routes");
        assertThat("registrar: " + info).isEqualTo("registrar: static routes");
        assertThat(info)
                .isEqualTo(new RegistrarInfo("static routes", false, false, false, false, false))
                .isNotEqualTo(new RegistrarInfo("static routes", true, false, false, false, false));
        assertThatThrownBy(() -> new RegistrarInfo(null, true, true, true, true, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRegistrarThatCannotRunHiddenNodesSaysSoWithItsDescription() {
        Registrar registrar = new Registrar() {
            @Override
            public void register(Node node, NetworkRoute route) {}

            @Override
            public Optional<NetworkRoute> resolve(String node) {
                return Optional.of(new NetworkRoute("h", 1));
            }

            @Override
            public List<String> nodes() {
                return List.of();
            }

            @Override
            public RegistrarInfo info() {
                return RegistrarInfo.nodesOnly("stub");
            }

            @Override
            public void terminate() {}
        };
        assertThat(registrar.resolver()).isSameAs(registrar);
        assertThat(registrar.resolver().resolve("a@h")).contains(new NetworkRoute("h", 1));
        assertThat(registrar.resolver().resolveApplication("api")).isEmpty();
        assertThatThrownBy(() -> registrar.registerHidden(null))
                .isInstanceOf(NotAllowedException.class)
                .hasMessageContaining("registrar stub cannot run a hidden node");
    }
}
