/**
 * Leader election for a group of processes (the seed's {@code leader.Actor}). {@link services.ergo.leader.Election}
 * is the election itself as a pure state machine; {@link services.ergo.leader.LeaderActor} runs it on the node's
 * processes and network, with its callbacks and fencing tokens, as a behaviour built on
 * {@link services.ergo.act.Actor}.
 */
@NullMarked
package services.ergo.leader;

import org.jspecify.annotations.NullMarked;
