/**
 * Leader election for a group of processes (the seed's {@code leader.Actor}). {@link services.ergo.leader.Election}
 * is the election itself as a pure state machine; the actor that runs it on the node's processes and network,
 * with its callbacks and fencing tokens, builds on it.
 */
package services.ergo.leader;
