package services.ergo.samples.jobs;

/**
 * To a coordinator: dispatch this job. A follower forwards it to the leader once ({@code forwarded}); a forwarded
 * submit that meets no leader fails as not dispatched, so the submitter may safely try again.
 */
public record Submit(Job job, boolean forwarded) {}
