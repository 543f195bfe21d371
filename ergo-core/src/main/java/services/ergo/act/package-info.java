/** Behaviours users extend: {@link services.ergo.act.Actor} and {@link services.ergo.act.Supervisor}. */
package services.ergo.act;
