/**
 * Test your own actors: {@link services.ergo.testkit.ErgoTestKit} starts nodes in one JVM,
 * {@link services.ergo.testkit.TestProbe} awaits messages and events; {@link services.ergo.testkit.EtcdServer} and
 * {@link services.ergo.testkit.TcpRelay} stand in for the infrastructure.
 */
@NullMarked
package services.ergo.testkit;

import org.jspecify.annotations.NullMarked;
