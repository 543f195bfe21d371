package services.ergo.samples.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import services.ergo.act.Actor;
import services.ergo.gen.Pid;
import services.ergo.samples.jobs.Job;
import services.ergo.samples.jobs.JobDone;
import services.ergo.samples.jobs.JobsConfiguration;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.spring.actor.ErgoActor;

/** Does jobs one at a time and tells each job's submitter when it is done. */
@ErgoActor(name = JobsProtocol.WORKER_PROCESS, application = JobsProtocol.WORKER_APPLICATION)
public class JobWorker extends Actor {
    private final Counter processed;
    private final Timer processing;
    private final long startedAt = System.currentTimeMillis();
    private long done;
    private String current = "";

    public JobWorker(MeterRegistry registry, JobsConfiguration.Registered protocol) {
        this.processed = Counter.builder("jobs.processed")
                .description("Jobs this worker finished")
                .register(registry);
        this.processing = Timer.builder("jobs.processing.time")
                .description("How long a job took")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Override
    protected void handleMessage(Pid from, Object message) throws Exception {
        if (message instanceof Job job) {
            current = job.id();
            long t0 = System.nanoTime();
            work(job);
            long took = System.nanoTime() - t0;
            processing.record(Duration.ofNanos(took));
            processed.increment();
            done++;
            current = "";
            send(job.replyTo(), new JobDone(job.id(), node().name(), took / 1_000_000));
        }
    }

    /** The sample's stand-in for real work. */
    private static void work(Job job) throws InterruptedException {
        if (job.workMillis() > 0) {
            Thread.sleep(job.workMillis());
        }
    }

    @Override
    protected Map<String, String> handleInspect(Pid from, String... items) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("queue depth", Long.toString(node().processInfo(pid()).mailbox().total()));
        m.put("processed", Long.toString(done));
        m.put("current job", current.isEmpty() ? "(idle)" : current);
        m.put("uptime s", Long.toString((System.currentTimeMillis() - startedAt) / 1000));
        return m;
    }
}
