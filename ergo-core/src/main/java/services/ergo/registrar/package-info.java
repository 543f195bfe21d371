/**
 * The embedded registrar: node discovery with no infrastructure. The first node on a host serves registration
 * (TCP) and resolution (UDP) on one port; the others register with it and take over when it goes.
 */
@NullMarked
package services.ergo.registrar;

import org.jspecify.annotations.NullMarked;
