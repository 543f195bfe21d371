/**
 * Leader election for a group of processes (the seed's {@code leader.Actor}). {@link services.ergo.leader.Election}
 * is the election itself as a pure state machine; {@link services.ergo.leader.LeaderActor} runs it on the node's
 * processes and network, with its callbacks and fencing tokens, as a behaviour built on
 * {@link services.ergo.act.Actor}. {@link services.ergo.leader.LeaderGroups} holds a node's groups: their options,
 * and the views of the leader actors running there.
 */
@NullMarked
package services.ergo.leader;

import org.jspecify.annotations.NullMarked;
