package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.TypeDescriptor;

/** IDEs complete every ergo.* key from the metadata the build generates: each key there, each with a description. */
class ConfigurationMetadataTest {

    @Test
    void everyErgoPropertyIsDescribed() throws Exception {
        List<Map<String, Object>> properties = ergoProperties();
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
                        "ergo.registrar.saturn.servers",
                        "ergo.registrar.saturn.token",
                        "ergo.registrar.saturn.tls.enabled",
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

    /**
     * Defaults taken from the core's constants are invisible to the metadata processor, so
     * {@code additional-spring-configuration-metadata.json} states them for the IDE: this keeps that copy equal to
     * what a property really defaults to, and complete.
     */
    @Test
    void everyDefaultInTheMetadataIsTheOneThatApplies() throws Exception {
        var conversion = ApplicationConversionService.getSharedInstance();
        for (Map<String, Object> p : ergoProperties()) {
            String name = (String) p.get("name");
            String sourceType = (String) p.get("sourceType");
            if (sourceType == null || !sourceType.startsWith("services.ergo.spring.autoconfigure.")) {
                continue;
            }
            BeanWrapperImpl fresh = new BeanWrapperImpl(
                    Class.forName(sourceType).getDeclaredConstructor().newInstance());
            String field = camelCase(name.substring(name.lastIndexOf('.') + 1));
            Object actual = fresh.getPropertyValue(field);
            Object stated = p.get("defaultValue");
            if (stated == null) {
                assertThat(actual == null
                                || (actual instanceof Collection<?> c && c.isEmpty())
                                || (actual instanceof Map<?, ?> m && m.isEmpty()))
                        .as(name + " defaults to " + actual + ", which the metadata should say")
                        .isTrue();
            } else {
                TypeDescriptor type = fresh.getPropertyTypeDescriptor(field);
                assertThat(conversion.convert(stated, TypeDescriptor.forObject(stated), type))
                        .as(name)
                        .isEqualTo(actual);
            }
        }
    }

    private static String camelCase(String dashed) {
        StringBuilder b = new StringBuilder();
        for (String part : dashed.split("-")) {
            b.append(b.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return b.toString();
    }

    private List<Map<String, Object>> ergoProperties() throws Exception {
        // the test sources have metadata of their own: read every copy on the class path
        List<Map<String, Object>> properties = new ArrayList<>();
        var copies = getClass().getClassLoader().getResources("META-INF/spring-configuration-metadata.json");
        while (copies.hasMoreElements()) {
            try (InputStream in = copies.nextElement().openStream()) {
                List<Map<String, Object>> all = JsonPath.read(in, "$.properties");
                all.stream()
                        .filter(p -> ((String) p.get("name")).startsWith("ergo."))
                        .forEach(properties::add);
            }
        }
        return properties;
    }
}
