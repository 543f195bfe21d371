package services.ergo.spring.it;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.loadbalancer.LoadBalanced;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import services.ergo.act.Actor;
import services.ergo.gen.Node;
import services.ergo.spring.actor.ErgoActor;

/** A web service whose application "api" runs on every node; each node answers /who with its node name. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableConfigurationProperties(WeightedApplication.Demo.class)
public class WeightedApplication {

    @ErgoActor(name = "api-handler", application = "api")
    public static class ApiHandler extends Actor {}

    @RestController
    public static class Who {
        private final Node node;

        public Who(Node node) {
            this.node = node;
        }

        @GetMapping("/who")
        public String who() {
            return node.name();
        }
    }

    @Bean
    @LoadBalanced
    RestClient.Builder loadBalanced() {
        return RestClient.builder();
    }

    /** Cluster configuration bound like any other properties. */
    @ConfigurationProperties("demo")
    public static class Demo {
        private String greeting = "none";
        private long limit;

        public String getGreeting() {
            return greeting;
        }

        public void setGreeting(String greeting) {
            this.greeting = greeting;
        }

        public long getLimit() {
            return limit;
        }

        public void setLimit(long limit) {
            this.limit = limit;
        }
    }
}
