/** Where a node starts: {@link services.ergo.Ergo#startNode}. */
@NullMarked
package services.ergo;

import org.jspecify.annotations.NullMarked;
