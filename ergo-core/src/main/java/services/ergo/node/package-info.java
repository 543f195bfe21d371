/**
 * Internal: the node runtime. Process table, mailboxes, scheduler, timers, links and monitors, applications and
 * events. Nothing here is public API; user code talks to {@link services.ergo.gen.Node} and
 * {@link services.ergo.gen.Process}. Classes here may change in any release.
 */
@NullMarked
package services.ergo.node;

import org.jspecify.annotations.NullMarked;
