/**
 * Behaviours users extend: {@link services.ergo.act.Actor} and {@link services.ergo.act.Supervisor}. Behaviours
 * built on {@code Actor}, such as the leader actor ({@code services.ergo.leader.LeaderActor}), take their own
 * messages through its protected {@link services.ergo.act.Actor#interceptMessage interceptMessage} hook.
 */
@NullMarked
package services.ergo.act;

import org.jspecify.annotations.NullMarked;
