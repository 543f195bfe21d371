/**
 * The public vocabulary of a node, named as in Ergo's {@code gen} package: {@link services.ergo.gen.Node},
 * {@link services.ergo.gen.Process}, {@link services.ergo.gen.Pid}, options, messages and errors.
 */
@NullMarked
package services.ergo.gen;

import org.jspecify.annotations.NullMarked;
