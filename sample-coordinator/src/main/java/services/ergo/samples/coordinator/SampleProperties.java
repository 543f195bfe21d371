package services.ergo.samples.coordinator;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.stereotype.Component;

/** The sample's own settings: {@code sample.*}. */
@Component
@ConfigurationProperties("sample")
public class SampleProperties {

    /** How long a submitter waits for a job's outcome before it reports the job failed. */
    private Duration jobTimeout = Duration.ofSeconds(10);

    public Duration getJobTimeout() {
        return jobTimeout;
    }

    public void setJobTimeout(Duration jobTimeout) {
        this.jobTimeout = jobTimeout;
    }
}
