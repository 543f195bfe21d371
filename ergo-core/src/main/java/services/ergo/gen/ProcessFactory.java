package services.ergo.gen;

/**
 * Makes a fresh behaviour for each process spawned from it: {@code Worker::new}.
 */
@FunctionalInterface
public interface ProcessFactory {
    ProcessBehavior create();
}
