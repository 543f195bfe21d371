package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** IDEs complete every ergo.* key from the metadata the build generates: each key there, each with a description. */
class ConfigurationMetadataTest {

    @Test
    void everyErgoPropertyIsDescribed() throws Exception {
        // the test sources have metadata of their own: read every copy on the class path
        List<Map<String, Object>> properties = new java.util.ArrayList<>();
        var copies = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (copies.hasMoreElements()) {
            try (InputStream in = copies.nextElement().openStream()) {
                List<Map<String, Object>> all = JsonPath.read(in, "$.properties");
                all.stream()
                        .filter(p -> ((String) p.get("name")).startsWith("ergo."))
                        .forEach(properties::add);
            }
        }
        assertThat(properties)
                .extracting(p -> (String) p.get("name"))
                .contains(
                        "ergo.enabled",
                        "ergo.node.name",
                        "ergo.node.cookie",
                        "ergo.network.host",
                        "ergo.network.port",
                        "ergo.network.pool-size",
                        "ergo.network.max-message-size",
                        "ergo.network.tls.mode",
                        "ergo.network.remote-spawn.allowed-nodes",
                        "ergo.network.remote-application-start.allowed-nodes",
                        "ergo.registrar.type",
                        "ergo.registrar.embedded.port",
                        "ergo.registrar.etcd.endpoints",
                        "ergo.registrar.etcd.cluster",
                        "ergo.registrar.etcd.lease-ttl",
                        "ergo.applications",
                        "ergo.leader.groups",
                        "ergo.shutdown.grace-period",
                        "ergo.metrics.enabled",
                        "ergo.network.hidden",
                        "ergo.inspector.enabled",
                        "ergo.inspector.log-lines");
        for (Map<String, Object> p : properties) {
            assertThat((String) p.get("description"))
                    .as(p.get("name") + " has a description")
                    .isNotBlank();
        }
    }
}
