package services.ergo.samples.coordinator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;
import services.ergo.samples.jobs.Job;

/**
 * The jobs submitted through this coordinator node and what became of each: the submitter's record. A job ends
 * exactly once: done (a worker said so) or failed (with a reason); what comes after that is ignored and counted.
 */
@Component
public class JobBook {
    /** One job as its submitter sees it. */
    public record Entry(
            Job job, long submittedAtNanos, String state, String worker, String reason, int attempts, String refused) {
        Entry with(String newState, String newWorker, String newReason) {
            return new Entry(job, submittedAtNanos, newState, newWorker, newReason, attempts, refused);
        }

        Entry retried(String refusal) {
            return new Entry(job, submittedAtNanos, state, worker, reason, attempts + 1, refusal);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", job.id());
            m.put("state", state);
            m.put("worker", worker);
            m.put("reason", reason);
            m.put("attempts", attempts);
            m.put("lastRefusal", refused);
            return m;
        }
    }

    private final Map<String, Entry> jobs = new ConcurrentHashMap<>();
    private final AtomicLong lateAnswers = new AtomicLong();
    private final AtomicLong doneTwice = new AtomicLong();

    void add(Job job) {
        jobs.put(job.id(), new Entry(job, System.nanoTime(), "pending", "", "", 1, ""));
    }

    public Entry get(String id) {
        return jobs.get(id);
    }

    /** Marks a pending job done; false when it had ended already (then the answer is late and counted). */
    boolean done(String id, String worker) {
        return end(id, "done", worker, "");
    }

    boolean failed(String id, String reason) {
        return end(id, "failed", "", reason);
    }

    private boolean end(String id, String state, String worker, String reason) {
        boolean[] ended = {false};
        jobs.computeIfPresent(id, (k, e) -> {
            if (!e.state().equals("pending")) {
                if (e.state().equals("done") && state.equals("done")) {
                    doneTwice.incrementAndGet(); // a job that ran twice: the sample promises this never happens
                }
                return e;
            }
            ended[0] = true;
            return e.with(state, worker, reason);
        });
        if (!ended[0]) {
            lateAnswers.incrementAndGet();
        }
        return ended[0];
    }

    /** Counts a submission refused before any worker saw it, keeping why, for the report if it times out. */
    void retried(String id, String refusal) {
        jobs.computeIfPresent(id, (k, e) -> e.retried(refusal));
    }

    public int pending() {
        int n = 0;
        for (Entry e : jobs.values()) {
            if (e.state().equals("pending")) {
                n++;
            }
        }
        return n;
    }

    List<Entry> pendingOlderThan(long nanos) {
        long now = System.nanoTime();
        return jobs.values().stream()
                .filter(e -> e.state().equals("pending") && now - e.submittedAtNanos() > nanos)
                .toList();
    }

    public Map<String, Object> stats() {
        Map<String, Long> states = new java.util.TreeMap<>();
        Map<String, Long> byWorker = new java.util.TreeMap<>();
        Map<String, Long> reasons = new java.util.TreeMap<>();
        for (Entry e : jobs.values()) {
            states.merge(e.state(), 1L, Long::sum);
            if (e.state().equals("done")) {
                byWorker.merge(e.worker(), 1L, Long::sum);
            }
            if (e.state().equals("failed")) {
                reasons.merge(e.reason(), 1L, Long::sum);
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("submitted", (long) jobs.size());
        m.put("states", states);
        m.put("doneByWorker", byWorker);
        m.put("failedBecause", reasons);
        m.put("lateAnswers", lateAnswers.get());
        m.put("doneTwice", doneTwice.get());
        return m;
    }
}
