package services.ergo.gen;

/** A scheduled message that can still be called off. */
@FunctionalInterface
public interface Cancellable {
    /** Cancels the delivery; returns whether it was still pending. */
    boolean cancel();
}
