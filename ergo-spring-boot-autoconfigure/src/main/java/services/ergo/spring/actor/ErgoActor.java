package services.ergo.spring.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Scope;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Declares an actor as a Spring bean. Component scanning finds it like a {@code @Service}; every spawn gets a
 * fresh instance from the application context (the bean is prototype-scoped), so constructor injection of
 * repositories, a {@code MeterRegistry} or other beans works.
 *
 * <pre>{@code
 * @ErgoActor(name = "worker", application = "jobs", instances = 4)
 * public class Worker extends Actor {
 *     private final JobRepository jobs;
 *
 *     public Worker(JobRepository jobs) {
 *         this.jobs = jobs;
 *     }
 *
 *     @Override
 *     protected void handleMessage(Pid from, Object message) {
 *         jobs.save((Job) message);
 *     }
 * }
 * }</pre>
 *
 * <p>An actor with an {@link #application()} is a member of that application and starts and stops with it; one
 * without starts with the node ({@link Start#NODE}) or waits to be spawned through {@link ErgoActors}
 * ({@link Start#ON_DEMAND}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Component
@Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
public @interface ErgoActor {

    /** The bean name; the class name in camel case when empty (as for any component). */
    @AliasFor(annotation = Component.class)
    String value() default "";

    /**
     * The name the process is registered under, so others can send to {@code name} or {@code name@node}; none when
     * empty. With more than one {@link #instances()}, the instances are registered as {@code name-1},
     * {@code name-2}, and so on.
     */
    String name() default "";

    /** The application this actor belongs to; none when empty. */
    String application() default "";

    /** How many processes to start (each one a fresh bean). */
    int instances() default 1;

    /** Mailbox capacity per queue; 0 is unbounded. */
    int mailboxSize() default 0;

    /** When an actor without an application is started. */
    Start start() default Start.NODE;

    /**
     * Whether other nodes may spawn this actor under its {@link #name()} ({@code remoteNode.spawn(name, …)}).
     * Which nodes may is set by {@code ergo.network.remote-spawn.allowed-nodes.<name>} (any node when not set);
     * {@code ergo.network.remote-spawn.enabled=false} switches remote spawn off as a whole.
     */
    boolean remoteSpawn() default false;

    /** When an actor that is not a member of an application starts. */
    enum Start {
        /** When the node starts, before the web server takes traffic. */
        NODE,
        /** Only when spawned through {@link ErgoActors#spawn} or by another node. */
        ON_DEMAND
    }
}
