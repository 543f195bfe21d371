package services.ergo.samples.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** The coordinator's own series: jobs submitted, completed, failed, their latency, the active jobs. */
@Component
public class JobMetrics {
    private final MeterRegistry registry;
    private final Counter submitted;
    private final Counter completed;
    private final Counter failed;
    private final Timer latency;
    private final AtomicInteger leading = new AtomicInteger();

    public JobMetrics(MeterRegistry registry, JobBook book) {
        this.registry = registry;
        this.submitted = Counter.builder("jobs.submitted").register(registry);
        this.completed = Counter.builder("jobs.completed").register(registry);
        this.failed = Counter.builder("jobs.failed").register(registry);
        this.latency =
                Timer.builder("jobs.latency").publishPercentileHistogram().register(registry);
        registry.gauge("jobs.active", book, JobBook::pending);
        registry.gauge("coordinator.leading", leading);
    }

    void submitted() {
        submitted.increment();
    }

    void completed(Duration took) {
        completed.increment();
        latency.record(took);
    }

    void failed() {
        failed.increment();
    }

    void dispatched(String worker) {
        registry.counter("jobs.dispatched", "worker", worker).increment();
    }

    void leading(boolean now) {
        leading.set(now ? 1 : 0);
    }
}
