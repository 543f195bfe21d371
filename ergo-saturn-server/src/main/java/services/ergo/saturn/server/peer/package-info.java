/**
 * Internal: the deterministic core of Saturn's high availability (issue #20), pure and without I/O. {@code Hlc}
 * makes the stamps, {@code OriginLog} holds one origin's records, and {@code NameResolver} turns the records of
 * one name into the entry clients see. Nothing here is public API; classes may change in any release.
 */
@NullMarked
package services.ergo.saturn.server.peer;

import org.jspecify.annotations.NullMarked;
