/**
 * The Saturn registrar's wire, shared by its server ({@code ergo-saturn-server}) and its client
 * ({@code ergo-registrar-saturn}) so that neither depends on the other: 32-bit length frames with a cap, the
 * messages ({@link services.ergo.saturn.protocol.Message}), their bounded decoder ({@link
 * services.ergo.saturn.protocol.Codec}) and the token proofs ({@link services.ergo.saturn.protocol.Proofs}).
 * The peer wire between servers of one cluster ({@link services.ergo.saturn.protocol.PeerMessage}, {@link
 * services.ergo.saturn.protocol.PeerCodec}) is here too, for the HA design of issue #20; nothing speaks it yet.
 */
@NullMarked
package services.ergo.saturn.protocol;

import org.jspecify.annotations.NullMarked;
