package services.ergo.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.autoconfigure.OverrideAutoConfiguration;
import org.springframework.boot.test.context.filter.annotation.TypeExcludeFilters;
import org.springframework.context.annotation.ComponentScan.Filter;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.BootstrapWith;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * A test of a service's actors on a real node: only the Ergo auto-configurations (node, registrars, actor beans,
 * leader groups, cluster events; no web layer, metrics, health, endpoints or inspector unless the test imports
 * them), and of the application's components only {@code @ErgoActor} and {@code @ErgoApplication} classes,
 * {@code ApplicationBehavior} and {@code ErgoNodeOptionsCustomizer} beans. The node is isolated as every test
 * context's is ({@link AutoConfigureErgo#isolated()}); a {@code TestProbe} and {@link ErgoTestNodes} can be
 * injected.
 *
 * <pre>{@code
 * @ErgoTest
 * class PongTest {
 *     @Autowired Node node;
 *     @Autowired TestProbe probe;
 *
 *     @Test
 *     void answers() {
 *         probe.send(new ProcessId("pong", node.name()), "ping");
 *         assertThat(probe.expectMessage(String.class, Duration.ofSeconds(5))).startsWith("pong");
 *     }
 * }
 * }</pre>
 *
 * <p>Beans the actors need beyond those come in with {@code @Import}, {@link #includeFilters()} or
 * {@code @MockitoBean}; a test of the whole service is a {@code @SpringBootTest} with {@link AutoConfigureErgo}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@BootstrapWith(ErgoTestContextBootstrapper.class)
@ExtendWith(SpringExtension.class)
@OverrideAutoConfiguration(enabled = false)
@TypeExcludeFilters(ErgoTypeExcludeFilter.class)
@AutoConfigureErgo
@ImportAutoConfiguration
public @interface ErgoTest {

    /** Properties ({@code key=value}) for the test's environment; they win over the isolation defaults. */
    String[] properties() default {};

    /** See {@link AutoConfigureErgo#isolated()}. */
    @AliasFor(annotation = AutoConfigureErgo.class)
    boolean isolated() default true;

    /** See {@link AutoConfigureErgo#etcd()}. */
    @AliasFor(annotation = AutoConfigureErgo.class)
    boolean etcd() default false;

    /** Whether the slice's own include rules apply to the application's component scan; see {@link #includeFilters()}. */
    boolean useDefaultFilters() default true;

    /** Components to add to the slice beyond actors and applications. */
    Filter[] includeFilters() default {};

    /** Components to leave out that the slice would include. */
    Filter[] excludeFilters() default {};

    /** Auto-configurations to leave out of the slice. */
    @AliasFor(annotation = ImportAutoConfiguration.class, attribute = "exclude")
    Class<?>[] excludeAutoConfiguration() default {};
}
