package services.ergo.samples.jobs;

/** A job will not be done; {@code dispatched} says whether a worker may have started it. */
public record JobFailed(String id, String reason, boolean dispatched) {}
