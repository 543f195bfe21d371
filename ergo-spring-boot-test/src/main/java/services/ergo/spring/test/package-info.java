/**
 * Tests of Spring Boot services with Ergo nodes: {@link services.ergo.spring.test.ErgoTest} (a slice with the node,
 * its registrar, the actor beans and leader groups), {@link services.ergo.spring.test.AutoConfigureErgo} (the same
 * beans in a full {@code @SpringBootTest}), a {@code TestProbe} bean, second nodes from the same application
 * ({@link services.ergo.spring.test.ErgoTestNodes}), and for every test context a node that cannot meet anything
 * outside the test: a private registrar, free ports, a unique name.
 */
@NullMarked
package services.ergo.spring.test;

import org.jspecify.annotations.NullMarked;
