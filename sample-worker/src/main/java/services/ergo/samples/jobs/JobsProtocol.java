package services.ergo.samples.jobs;

import java.util.List;
import services.ergo.gen.Node;

/** The job messages, registered on every node that sends or receives them. */
public final class JobsProtocol {
    public static final String WORKER_APPLICATION = "worker";
    public static final String WORKER_PROCESS = "worker";
    public static final String COORDINATOR_PROCESS = "coordinator";
    public static final String DESK_PROCESS = "desk";

    private JobsProtocol() {}

    public static void register(Node node) {
        // in one step: a Submit holds a Job, and no message should meet one without the other
        node.network().registerTypes(List.of(Job.class, JobDone.class, JobFailed.class, Submit.class));
    }
}
