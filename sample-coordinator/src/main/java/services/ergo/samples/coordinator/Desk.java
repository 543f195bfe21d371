package services.ergo.samples.coordinator;

import java.time.Duration;
import services.ergo.act.Actor;
import services.ergo.gen.Pid;
import services.ergo.samples.jobs.JobDone;
import services.ergo.samples.jobs.JobFailed;
import services.ergo.samples.jobs.JobsConfiguration;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.samples.jobs.Submit;
import services.ergo.spring.actor.ErgoActor;

/**
 * Hears what becomes of the jobs submitted on this node. A job refused before any worker could see it ("no
 * leader", "no worker") is submitted again a little later, as that is safe; one with no answer within
 * {@code sample.job-timeout} is reported failed, as it may have been lost with a leader or a worker that died.
 */
@ErgoActor(name = JobsProtocol.DESK_PROCESS)
public class Desk extends Actor {
    private static final Duration RETRY_AFTER = Duration.ofMillis(100);
    private static final Duration SWEEP_EVERY = Duration.ofMillis(250);

    private final JobBook book;
    private final JobMetrics metrics;
    private final SampleProperties properties;

    public Desk(JobBook book, JobMetrics metrics, SampleProperties properties, JobsConfiguration.Registered protocol) {
        this.book = book;
        this.metrics = metrics;
        this.properties = properties;
    }

    @Override
    protected void init(Object... args) {
        sendAfter(pid(), "sweep", SWEEP_EVERY);
    }

    @Override
    protected void handleMessage(Pid from, Object message) {
        if (message instanceof JobDone d) {
            JobBook.Entry e = book.get(d.id());
            if (book.done(d.id(), d.worker()) && e != null) {
                metrics.completed(Duration.ofNanos(System.nanoTime() - e.submittedAtNanos()));
            }
        } else if (message instanceof JobFailed f) {
            JobBook.Entry e = book.get(f.id());
            if (e != null && !f.dispatched() && e.state().equals("pending")) {
                book.retried(f.id(), f.reason());
                sendAfter(JobsProtocol.COORDINATOR_PROCESS, new Submit(e.job(), false), RETRY_AFTER);
            } else if (book.failed(f.id(), f.reason())) {
                metrics.failed();
            }
        } else if ("sweep".equals(message)) {
            for (JobBook.Entry e :
                    book.pendingOlderThan(properties.getJobTimeout().toNanos())) {
                // a job refused until its time ran out says so: "no worker" and a lost answer are different faults
                String reason = "no answer within " + properties.getJobTimeout()
                        + (e.refused().isEmpty() ? "" : " (last refused: " + e.refused() + ")");
                if (book.failed(e.job().id(), reason)) {
                    metrics.failed();
                }
            }
            sendAfter(pid(), "sweep", SWEEP_EVERY);
        }
    }
}
