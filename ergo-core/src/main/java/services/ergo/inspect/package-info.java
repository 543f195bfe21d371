/**
 * The node's inspector: {@link services.ergo.inspect.Inspector}, the process registered as {@code ergo_inspector}
 * that answers the Observer over the cluster connection with plain maps ({@link services.ergo.inspect.NodeSnapshot}
 * builds the node's), and where its live log comes from ({@link services.ergo.inspect.LogSource}, with
 * {@link services.ergo.inspect.LogBuffer} as the ring a log capture fills). Ergo keeps its inspector in the core
 * too ({@code app/system/inspect}), so any node can be observed, with or without Spring.
 */
@NullMarked
package services.ergo.inspect;

import org.jspecify.annotations.NullMarked;
