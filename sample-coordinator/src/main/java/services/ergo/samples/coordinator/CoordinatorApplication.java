package services.ergo.samples.coordinator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import services.ergo.gen.Node;
import services.ergo.samples.jobs.JobsProtocol;

/**
 * The seed's coordinator: a {@link Coordinator} leader actor among the coordinators (group {@code coordinators}
 * in {@code ergo.leader.groups}), an HTTP API to submit jobs and read their status ({@link JobController}), and
 * the desk that hears each job's outcome.
 */
@SpringBootApplication
public class CoordinatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(CoordinatorApplication.class, args);
    }

    @Bean
    JobsRegistered jobsProtocol(Node node) {
        JobsProtocol.register(node);
        return new JobsRegistered();
    }

    /** Marks that the job messages are registered; actors that send them depend on this bean. */
    public static final class JobsRegistered {}
}
