package services.ergo.samples.coordinator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import services.ergo.samples.jobs.JobsConfiguration;

/**
 * The seed's coordinator: a {@link Coordinator} leader actor among the coordinators (group {@code coordinators}
 * in {@code ergo.leader.groups}), an HTTP API to submit jobs and read their status ({@link JobController}), and
 * the desk that hears each job's outcome.
 */
@SpringBootApplication
@Import(JobsConfiguration.class)
public class CoordinatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(CoordinatorApplication.class, args);
    }
}
