/**
 * A node's {@code ergo_*} series for Micrometer, with no Spring: {@link services.ergo.micrometer.ErgoMetrics} is a
 * {@code MeterBinder} for any {@code MeterRegistry}. The Spring Boot starter binds it for you; a plain-Java node
 * binds it itself and gets the same series.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("worker@localhost", NodeOptions.defaults());
 * MeterRegistry registry = new SimpleMeterRegistry();
 * ErgoMetrics metrics = new ErgoMetrics(node, 10, Duration.ofSeconds(5));   // = new ErgoMetrics(node)
 * metrics.bindTo(registry);
 * }</pre>
 */
@NullMarked
package services.ergo.micrometer;

import org.jspecify.annotations.NullMarked;
