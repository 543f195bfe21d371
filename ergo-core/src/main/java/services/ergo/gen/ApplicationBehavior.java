package services.ergo.gen;

/**
 * An application: a named group of processes started and stopped together.
 *
 * <pre>{@code
 * final class WorkerApp implements ApplicationBehavior {
 *     public ApplicationSpec load(Node node, Object... args) {
 *         return ApplicationSpec.builder("worker").weight(100)
 *             .member(ApplicationMemberSpec.of("handler", Handler::new)).build();
 *     }
 * }
 * node.applicationLoad(new WorkerApp());
 * node.applicationStartPermanent("worker", ApplicationOptions.defaults());
 * }</pre>
 */
public interface ApplicationBehavior {

    /** Describes the application; called once when it is loaded. */
    ApplicationSpec load(Node node, Object... args) throws Exception;

    /** Called after all members have started. */
    default void start(ApplicationMode mode) {}

    /** Called after the application stopped, with the reason. */
    default void terminate(Reason reason) {}
}
