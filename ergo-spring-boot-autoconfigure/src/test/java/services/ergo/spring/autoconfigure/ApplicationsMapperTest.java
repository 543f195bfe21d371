package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import services.ergo.gen.ApplicationMode;
import services.ergo.spring.actor.ErgoApplicationDefinition;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

class ApplicationsMapperTest {
    private final Map<String, ErgoApplicationDefinition> declared = Map.of(
            "jobs", new ErgoApplicationDefinition("jobs", 100, ApplicationMode.PERMANENT, "the jobs", List.of(), true));
    private final Map<String, ErgoProperties.Application> configured = new LinkedHashMap<>();

    @Test
    void unsetPropertiesKeepTheAnnotationsValues() {
        configured.put("jobs", new ErgoProperties.Application());
        var mapped = ApplicationsMapper.map(declared, configured);
        assertThat(mapped.definitions()).isEqualTo(declared);
        assertThat(mapped.otherWeights()).isEmpty();
    }

    @Test
    void setPropertiesOverrideTheAnnotation() {
        ErgoProperties.Application jobs = application("jobs", 7);
        jobs.setMode(ApplicationMode.TRANSIENT);
        jobs.setDescription("canary");
        jobs.setStart(false);
        assertThat(ApplicationsMapper.map(declared, configured).definitions().get("jobs"))
                .isEqualTo(new ErgoApplicationDefinition(
                        "jobs", 7, ApplicationMode.TRANSIENT, "canary", List.of(), false));
    }

    @Test
    void applicationsNoAnnotationDeclaresKeepTheirWeightForLater() {
        application("other", 3);
        configured.put("plain", new ErgoProperties.Application());
        assertThat(ApplicationsMapper.map(declared, configured).otherWeights())
                .containsExactly(Map.entry("other", 3), Map.entry("plain", -1));
    }

    @Test
    void everyNegativeWeightIsListed() {
        application("jobs", -1);
        application("other", -5);
        assertThatThrownBy(() -> ApplicationsMapper.map(declared, configured))
                .isInstanceOfSatisfying(
                        InvalidErgoPropertiesException.class,
                        e -> assertThat(e.problems())
                                .extracting(Problem::property)
                                .containsExactly("ergo.applications.jobs.weight", "ergo.applications.other.weight"));
    }

    private ErgoProperties.Application application(String name, int weight) {
        ErgoProperties.Application a = new ErgoProperties.Application();
        a.setWeight(weight);
        configured.put(name, a);
        return a;
    }
}
