package services.ergo.samples.jobs;

import services.ergo.gen.ProcessId;

/**
 * A unit of work: the coordinator leader hands it to a worker chosen by weight; the worker tells {@code replyTo}
 * (the submitter's desk) when it is done.
 *
 * @param id the job's id, unique in the cluster
 * @param payload what to work on
 * @param workMillis how long the work takes (the sample's stand-in for real work)
 * @param replyTo who hears the outcome
 */
public record Job(String id, String payload, long workMillis, ProcessId replyTo) {}
