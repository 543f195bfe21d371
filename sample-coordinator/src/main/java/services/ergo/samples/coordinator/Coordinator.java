package services.ergo.samples.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import services.ergo.gen.ApplicationRoute;
import services.ergo.gen.ApplicationRoutes;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.leader.LeaderActor;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderOptions;
import services.ergo.samples.jobs.Job;
import services.ergo.samples.jobs.JobFailed;
import services.ergo.samples.jobs.JobsConfiguration;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.samples.jobs.Submit;
import services.ergo.spring.actor.ErgoActor;

/**
 * One per coordinator node; exactly one leads. The leader sends each job to a worker node picked by the workers'
 * weights; a follower forwards submissions to the leader. A job is dispatched once, by one leader, and never
 * again: a leader that dies takes its undispatched submissions with it, and their submitters report them failed
 * (see {@link Desk}), so no job runs twice.
 */
@ErgoActor(name = JobsProtocol.COORDINATOR_PROCESS)
public class Coordinator extends LeaderActor {
    private final LeaderGroups groups;
    private final JobMetrics metrics;
    private List<ApplicationRoute> workers = List.of();

    public Coordinator(LeaderGroups groups, JobMetrics metrics, JobsConfiguration.Registered protocol) {
        this.groups = groups;
        this.metrics = metrics;
    }

    @Override
    protected LeaderOptions initLeader(Object... args) {
        return groups.options("coordinators");
    }

    @Override
    protected void handleBecomeLeader() {
        log().info("leading the coordinators in term {}", term());
        metrics.leading(true);
    }

    @Override
    protected void handleBecomeFollower(ProcessId leader) {
        metrics.leading(false);
    }

    @Override
    protected void handleMessage(Pid from, Object message) {
        if (message instanceof Workers w) {
            workers = w.routes();
        } else if (message instanceof Submit s) {
            if (isLeader()) {
                dispatch(s.job());
            } else if (s.forwarded() || !forwardToLeader(new Submit(s.job(), true))) {
                send(s.job().replyTo(), new JobFailed(s.job().id(), "no leader", false));
            }
        }
    }

    /**
     * Picks a worker by weight among those connected now and hands it the job. A worker that is not connected (it
     * died, or the scout is still dialing it) is passed over: a leader never waits on a dial, or its followers
     * would think it dead.
     */
    private void dispatch(Job job) {
        List<String> connected = node().network().nodes();
        List<ApplicationRoute> candidates = new ArrayList<>();
        for (ApplicationRoute r : workers) {
            if (connected.contains(r.node())) {
                candidates.add(r);
            }
        }
        while (true) {
            Optional<String> node = ApplicationRoutes.selectNode(candidates);
            if (node.isEmpty()) {
                send(job.replyTo(), new JobFailed(job.id(), "no worker", false));
                return;
            }
            try {
                send(new ProcessId(JobsProtocol.WORKER_PROCESS, node.get()), job);
                metrics.dispatched(node.get());
                return;
            } catch (ErgoException gone) {
                // the connection went between the look and the send: the job did not leave, try another worker
                candidates.removeIf(r -> r.node().equals(node.get()));
            }
        }
    }
}
