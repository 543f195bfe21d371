package services.ergo.samples.jobs;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import services.ergo.gen.Node;

/**
 * Registers the job messages on the node, for both samples ({@code @Import} it): actors that send or receive them
 * take {@link Registered} in their constructor, so the registration happens before any of them runs.
 */
@Configuration(proxyBeanMethods = false)
public class JobsConfiguration {

    @Bean
    Registered jobsProtocol(Node node) {
        JobsProtocol.register(node);
        return new Registered();
    }

    /** Proof that the job messages are registered. */
    public static final class Registered {}
}
