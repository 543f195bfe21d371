/**
 * The Saturn registrar: one persistent connection per node to a Saturn server ({@code ergo-saturn-server}), which
 * pushes the cluster's changes as they happen. Start with {@link services.ergo.registrar.saturn.SaturnRegistrar}.
 */
@NullMarked
package services.ergo.registrar.saturn;

import org.jspecify.annotations.NullMarked;
