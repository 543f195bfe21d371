package services.ergo.spring.docs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;
import services.ergo.act.Actor;
import services.ergo.gen.Pid;
import services.ergo.spring.actor.ErgoActor;

/**
 * The seed's AppMetrics, the Spring way: an actor bean takes the context's MeterRegistry by constructor injection
 * and its meters appear at /actuator/prometheus beside the ergo_* series (docs/metrics.md shows this class).
 */
// tag::example[]
@ErgoActor(name = "jobs", application = "jobs")
public class JobHandler extends Actor {
    private final Counter requestsTotal; // app_requests_total
    private final Timer requestLatency; // app_request_duration_seconds (histogram)
    private final AtomicInteger activeJobs; // app_active_jobs

    public JobHandler(MeterRegistry registry) {
        this.requestsTotal = Counter.builder("app.requests")
                .description("Total requests processed")
                .register(registry);
        this.requestLatency = Timer.builder("app.request.duration")
                .publishPercentileHistogram()
                .register(registry);
        this.activeJobs = registry.gauge("app.active.jobs", new AtomicInteger());
    }

    @Override
    protected void handleMessage(Pid from, Object message) {
        activeJobs.incrementAndGet();
        requestLatency.record(() -> process(message));
        activeJobs.decrementAndGet();
        requestsTotal.increment();
    }
    // end::example[]

    private void process(Object job) {
        // the job's work
    }
}
