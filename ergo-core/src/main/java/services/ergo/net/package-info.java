/**
 * Internal: the network. Acceptor and connections on Netty, the handshake, framing, the wire format of control
 * headers and the payload codec. Users talk to {@link services.ergo.gen.Network}; classes here may change in any
 * release.
 */
@NullMarked
package services.ergo.net;

import org.jspecify.annotations.NullMarked;
