package services.ergo.samples.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessId;
import services.ergo.samples.jobs.Job;
import services.ergo.samples.jobs.JobDone;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.testkit.TestProbe;

/** The worker service as it starts: application "worker" with its weight, a job done and told, its inspect view. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = "ergo.applications.worker.weight=10")
@AutoConfigureErgo
class WorkerApplicationTest {
    @Autowired
    Node node;

    @Autowired
    MeterRegistry registry;

    @Autowired
    TestProbe desk;

    @Test
    void doesAJobTellsItsSubmitterAndShowsItInInspect() {
        assertThat(node.applicationInfo("worker").state()).isEqualTo(ApplicationState.RUNNING);
        assertThat(node.applicationInfo("worker").weight()).isEqualTo(10);
        node.registerName("desk", desk.pid());
        node.send("worker", new Job("j1", "payload", 5, new ProcessId("desk", node.name())));
        JobDone done = desk.expectMessage(JobDone.class, Duration.ofSeconds(5));
        assertThat(done.id()).isEqualTo("j1");
        assertThat(done.worker()).isEqualTo(node.name());
        Map<String, String> inspect = node.inspect(node.whereIs("worker"));
        assertThat(inspect).containsEntry("processed", "1").containsEntry("current job", "(idle)");
        assertThat(registry.get("jobs.processed").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("jobs.processing.time").timer().count()).isEqualTo(1);
    }
}
