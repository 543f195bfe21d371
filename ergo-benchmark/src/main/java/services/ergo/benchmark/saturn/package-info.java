/**
 * {@code saturn-scale}: the Saturn server at thousands of nodes, in its own JVM, against a generator JVM of N
 * simulated nodes, with etcd beside it at the same N. Not a unit test: {@code scripts/bench saturn-scale}.
 */
@NullMarked
package services.ergo.benchmark.saturn;

import org.jspecify.annotations.NullMarked;
