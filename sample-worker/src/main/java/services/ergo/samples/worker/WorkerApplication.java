package services.ergo.samples.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import services.ergo.gen.ApplicationMode;
import services.ergo.samples.jobs.JobsConfiguration;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.spring.actor.ErgoApplication;

/**
 * The seed's worker: application {@code worker} (weight from {@code ergo.applications.worker.weight}, 100 by
 * default; a canary runs the same jar with 10) whose {@code worker} process does the jobs the coordinator leader
 * sends it.
 */
@SpringBootApplication
@Import(JobsConfiguration.class)
@ErgoApplication(name = JobsProtocol.WORKER_APPLICATION, weight = 100, mode = ApplicationMode.PERMANENT)
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
