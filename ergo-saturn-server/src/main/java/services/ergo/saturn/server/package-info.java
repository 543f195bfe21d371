/**
 * The Saturn server's core, without Spring: {@link services.ergo.saturn.server.SaturnServer} accepts the
 * registrars' connections, keeps each cluster's entries at a revision, and pushes changes to every client of the
 * cluster in merged delta frames, each change encoded once; a client that cannot keep up is resynchronised with a
 * paged snapshot and never holds more of the server's memory than its queue's cap.
 */
@NullMarked
package services.ergo.saturn.server;

import org.jspecify.annotations.NullMarked;
