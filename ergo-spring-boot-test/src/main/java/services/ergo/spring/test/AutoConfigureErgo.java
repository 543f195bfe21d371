package services.ergo.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * The Ergo auto-configurations (node, registrars, actor beans, leader groups, cluster events) and the test beans
 * (a {@code TestProbe} per injection point, {@link ErgoTestNodes}) in a test's context: for a full
 * {@code @SpringBootTest}, or for another slice that should have a node too. {@link ErgoTest @ErgoTest} carries it.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureErgo
 * class WorkerTest {
 *     @Autowired Node node;
 *     @Autowired TestProbe probe;
 * }
 * }</pre>
 *
 * <p>Every test context is isolated whether it carries this annotation or not (see {@link #isolated()}); the
 * annotation adds the beans and the switches.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureErgo {

    /**
     * Whether the test's node is kept away from everything outside the test (the default): a private embedded
     * registrar on a free port ({@code ergo.registrar.embedded.port=0}), the acceptor on a free port, a unique
     * node name ({@code <spring.application.name>-<random>@localhost}), the embedded registrar even when
     * {@code application.yml} names etcd, and a private etcd when the test itself asks for etcd. What the test
     * sets itself ({@code @SpringBootTest(properties)}, {@code @TestPropertySource}, {@code @DynamicPropertySource})
     * wins. {@code false} leaves the node as {@code application.yml} configures it, as does the property
     * {@code ergo.test.isolated=false}.
     */
    boolean isolated() default true;

    /**
     * Whether the node uses the etcd registrar on an etcd of the test's own: one {@code etcd} process per test
     * context (Debian's {@code etcd-server} on the {@code PATH}) on free ports, wired in as
     * {@code ergo.registrar.type=etcd} and {@code ergo.registrar.etcd.endpoints}, and available as an
     * {@code EtcdServer} bean (for {@code etcdctl}). Setting {@code ergo.registrar.type=etcd} in the test's own
     * properties does the same; a test that sets {@code ergo.registrar.etcd.endpoints} itself runs on the etcd
     * registrar there.
     */
    boolean etcd() default false;
}
