package services.ergo.samples.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessId;
import services.ergo.samples.jobs.Job;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.samples.jobs.Submit;

/**
 * Submit jobs and read their status:
 *
 * <pre>
 * curl -X POST 'localhost:8080/jobs?payload=hello&amp;work=50'      → {"id": "…"}
 * curl -X POST 'localhost:8080/jobs/batch?count=1000&amp;work=2'    → {"ids": [...]}
 * curl localhost:8080/jobs/{id}                                   → {"state": "done", "worker": "worker1@localhost", …}
 * curl localhost:8080/jobs                                        → counts by state and by worker
 * </pre>
 */
@RestController
public class JobController {
    private final Node node;
    private final JobBook book;
    private final JobMetrics metrics;

    public JobController(Node node, JobBook book, JobMetrics metrics) {
        this.node = node;
        this.book = book;
        this.metrics = metrics;
    }

    @PostMapping("/jobs")
    public Map<String, Object> submit(
            @RequestParam(defaultValue = "") String payload, @RequestParam(defaultValue = "10") long work) {
        return Map.of("id", submitOne(payload, work));
    }

    @PostMapping("/jobs/batch")
    public Map<String, Object> batch(
            @RequestParam int count,
            @RequestParam(defaultValue = "") String payload,
            @RequestParam(defaultValue = "10") long work) {
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("count is 1..100000, got " + count);
        }
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(submitOne(payload, work));
        }
        return Map.of("ids", ids);
    }

    private String submitOne(String payload, long work) {
        if (work < 0 || work > 60_000) {
            throw new IllegalArgumentException("work is 0..60000 ms, got " + work);
        }
        Job job = new Job(
                UUID.randomUUID().toString(), payload, work, new ProcessId(JobsProtocol.DESK_PROCESS, node.name()));
        book.add(job);
        metrics.submitted();
        node.send(JobsProtocol.COORDINATOR_PROCESS, new Submit(job, false));
        return job.id();
    }

    @GetMapping("/jobs/{id}")
    public ResponseEntity<Map<String, Object>> status(@PathVariable String id) {
        JobBook.Entry e = book.get(id);
        return e == null ? ResponseEntity.notFound().build() : ResponseEntity.ok(e.toMap());
    }

    @GetMapping("/jobs")
    public Map<String, Object> stats() {
        return book.stats();
    }
}
