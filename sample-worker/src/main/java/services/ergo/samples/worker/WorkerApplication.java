package services.ergo.samples.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.Node;
import services.ergo.samples.jobs.JobsProtocol;
import services.ergo.spring.actor.ErgoApplication;

/**
 * The seed's worker: application {@code worker} (weight from {@code ergo.applications.worker.weight}, 100 by
 * default; a canary runs the same jar with 10) whose {@code worker} process does the jobs the coordinator leader
 * sends it.
 */
@SpringBootApplication
@ErgoApplication(name = JobsProtocol.WORKER_APPLICATION, weight = 100, mode = ApplicationMode.PERMANENT)
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }

    /** The job messages cross the network: register them before any arrives. */
    @Bean
    JobsRegistered jobsProtocol(Node node) {
        JobsProtocol.register(node);
        return new JobsRegistered();
    }

    /** Marks that the protocol is registered; actors that need it depend on this bean. */
    public static final class JobsRegistered {}
}
