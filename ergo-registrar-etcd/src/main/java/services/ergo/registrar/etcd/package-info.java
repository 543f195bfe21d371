/**
 * The etcd registrar: {@link services.ergo.registrar.etcd.EtcdRegistrar} and its options are the public API; the
 * mirror ({@code ClusterView}), the key layout and the typed values are internal.
 */
@NullMarked
package services.ergo.registrar.etcd;

import org.jspecify.annotations.NullMarked;
