package services.ergo.spring.actor;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import services.ergo.gen.ApplicationMode;

/**
 * Describes an application whose members are {@link ErgoActor} beans with {@code application = name}. Put it on any
 * bean class, typically the {@code @SpringBootApplication} or a {@code @Configuration}. Values under
 * {@code ergo.applications.<name>} in {@code application.yml} override these, so one jar can run as a canary with a
 * small weight.
 *
 * <pre>{@code
 * @SpringBootApplication
 * @ErgoApplication(name = "jobs", weight = 100, mode = ApplicationMode.PERMANENT)
 * public class WorkerApplication { }
 * }</pre>
 *
 * <p>An application that only its actors name (no annotation, no yml) runs with weight 100 in temporary mode.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ErgoApplications.class)
public @interface ErgoApplication {

    String name();

    /** The weight other nodes use to pick this node for the application; 0 drains it. */
    int weight() default 100;

    ApplicationMode mode() default ApplicationMode.TEMPORARY;

    String description() default "";

    /** Applications that must be running before this one starts. */
    String[] dependsOn() default {};

    /** Whether to start the application with the node (otherwise it is only loaded). */
    boolean start() default true;
}
