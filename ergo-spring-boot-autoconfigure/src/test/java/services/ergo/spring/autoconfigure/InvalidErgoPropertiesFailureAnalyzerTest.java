package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.OriginTrackedMapPropertySource;
import org.springframework.boot.origin.OriginTrackedValue;
import org.springframework.boot.origin.TextResourceOrigin;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;
import services.ergo.spring.autoconfigure.PropertyProblems.Problem;

@ExtendWith(OutputCaptureExtension.class)
class InvalidErgoPropertiesFailureAnalyzerTest {

    @Test
    void eachPropertyIsShownAsWrittenWithWhereAndWhy() {
        StandardEnvironment environment = new StandardEnvironment();
        TextResourceOrigin origin = new TextResourceOrigin(new ByteArrayResource(new byte[0], "application.yml"), null);
        environment
                .getPropertySources()
                .addFirst(new OriginTrackedMapPropertySource(
                        "application.yml", Map.of("ergo.network.port", OriginTrackedValue.of("70000", origin))));
        InvalidErgoPropertiesException failure = new InvalidErgoPropertiesException(List.of(
                new Problem("ergo.network.port", 70000, "network port must be 0..65535, got 70000"),
                new Problem("ergo.registrar.etcd.password", null, "etcd user and password go together")));

        FailureAnalysis analysis = new InvalidErgoPropertiesFailureAnalyzer(environment).analyze(failure);

        assertThat(analysis.getDescription())
                .contains("2 ergo.* properties are invalid:")
                .contains(String.format(
                        "    Property: ergo.network.port%n    Value: \"70000\"%n    Origin: %s%n"
                                + "    Reason: network port must be 0..65535, got 70000%n",
                        origin))
                .contains(String.format(
                        "    Property: ergo.registrar.etcd.password%n    Reason: etcd user and password go together"));
        assertThat(analysis.getAction()).isEqualTo("Update your application's configuration");
        assertThat(analysis.getCause()).isSameAs(failure);
    }

    @Test
    void aStartWithThreeBadValuesReportsAllThree(CapturedOutput output) {
        assertThatThrownBy(() -> new SpringApplicationBuilder(Node.class)
                        .web(WebApplicationType.NONE)
                        .properties(
                                "ergo.node.name=bad@localhost",
                                "ergo.registrar.embedded.port=0",
                                "ergo.network.port=70000",
                                "ergo.network.pool-size=0",
                                "ergo.node.call-timeout=0s")
                        .run())
                .hasRootCauseInstanceOf(InvalidErgoPropertiesException.class);
        assertThat(output)
                .contains("APPLICATION FAILED TO START")
                .contains("3 ergo.* properties are invalid:")
                .contains("Property: ergo.network.port")
                .contains("Property: ergo.network.pool-size")
                .contains("Property: ergo.node.call-timeout")
                .contains("Value: \"0s\"");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(ErgoAutoConfiguration.class)
    static class Node {}
}
