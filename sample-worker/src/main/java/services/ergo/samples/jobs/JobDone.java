package services.ergo.samples.jobs;

/** A worker finished a job. */
public record JobDone(String id, String worker, long tookMillis) {}
