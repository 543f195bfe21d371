package services.ergo.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.cloud.client.discovery.event.HeartbeatEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;
import services.ergo.gen.Node;
import services.ergo.spring.cloud.ErgoDiscoveryClient;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.spring.test.ErgoTestNodes;
import services.ergo.testkit.EtcdServer;

/**
 * Three web services on a real etcd (the test's own): Spring Cloud sees application "api" as a service with one
 * instance per node that runs it, a @LoadBalanced client spreads HTTP calls by the Ergo weights (a drained node
 * gets none), and a configuration item put with etcdctl rebinds a @ConfigurationProperties bean without a restart.
 */
@SpringBootTest(
        classes = WeightedApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "ergo.node.name=n3@localhost",
            "ergo.applications.api.weight=0",
            "spring.cloud.loadbalancer.configurations=weighted",
            "spring.cloud.loadbalancer.cache.enabled=false"
        })
@AutoConfigureErgo(etcd = true)
@Import(EtcdDiscoveryTest.Heartbeats.class)
class EtcdDiscoveryTest {
    private static final String CLUSTER = "default";
    private static final List<ConfigurableApplicationContext> nodes = new ArrayList<>();
    private static final AtomicInteger heartbeats = new AtomicInteger();

    @Autowired
    ConfigurableApplicationContext n3;

    @Autowired
    ErgoTestNodes services;

    @Autowired
    EtcdServer etcd;

    /** Counts the heartbeats of every node: each loads the test's configuration, this import with it. */
    static class Heartbeats implements ApplicationListener<HeartbeatEvent> {
        @Override
        public void onApplicationEvent(HeartbeatEvent event) {
            heartbeats.incrementAndGet();
        }
    }

    /** n1 and n2 join the test's own node, n3, once: after the cluster-wide item is in etcd, so they start with it. */
    @BeforeEach
    void start() throws Exception {
        if (nodes.isEmpty()) {
            etcd.etcdctl("put", "services/ergo/cluster/" + CLUSTER + "/config/*/demo.limit", "int:5");
            nodes.add(services.start("n1", "ergo.applications.api.weight=75").context());
            nodes.add(services.start("n2", "ergo.applications.api.weight=25").context());
            nodes.add(n3);
        }
    }

    @Test
    void eachApplicationIsAServiceAndEachRunningNodeAWeightedInstance() {
        DiscoveryClient discovery = nodes.get(0).getBean(DiscoveryClient.class);
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(discovery.getServices()).contains("api");
            assertThat(discovery.getInstances("api"))
                    .extracting(ServiceInstance::getInstanceId)
                    .containsExactlyInAnyOrder("n1@localhost", "n2@localhost");
        });
        ServiceInstance n2 = discovery.getInstances("api").stream()
                .filter(i -> i.getInstanceId().equals("n2@localhost"))
                .findFirst()
                .orElseThrow();
        assertThat(n2.getMetadata())
                .containsEntry("weight", "25")
                .containsEntry("node", "n2@localhost")
                .containsEntry("state", "running")
                .containsEntry("secure", "false")
                .containsEntry("management.context-path", "/actuator")
                .doesNotContainKey("management.port");
        // the address n2 published: plain HTTP on the node's host (ergo.network.host, localhost by default)
        String port = nodes.get(1).getEnvironment().getProperty("local.server.port");
        assertThat(n2.isSecure()).isFalse();
        assertThat(n2.getHost()).isEqualTo("localhost");
        assertThat(n2.getUri().toString()).isEqualTo("http://localhost:" + port);
        assertThat(nodes.get(0).getBean(ErgoDiscoveryClient.class)).isNotNull();
    }

    @Test
    void loadBalancedCallsFollowTheErgoWeights() {
        RestClient http = nodes.get(2).getBean(RestClient.Builder.class).build();
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> nodes.get(0)
                                .getBean(DiscoveryClient.class)
                                .getInstances("api")
                                .size()
                        == 2);
        Map<String, Integer> hits = new TreeMap<>();
        int calls = 400;
        for (int i = 0; i < calls; i++) {
            String who = http.get().uri("http://api/who").retrieve().body(String.class);
            hits.merge(who, 1, Integer::sum);
        }
        System.out.println("weighted load balancing over " + calls + " calls: " + hits);
        assertThat(hits).doesNotContainKey("n3@localhost");
        assertThat(hits.getOrDefault("n1@localhost", 0)).isBetween(270, 330);
        assertThat(hits.getOrDefault("n2@localhost", 0)).isBetween(70, 130);
    }

    @Test
    void aDrainedNodeLeavesTheServiceAndATopologyChangeIsAHeartbeat() {
        DiscoveryClient discovery = nodes.get(0).getBean(DiscoveryClient.class);
        Node n3 = nodes.get(2).getBean(Node.class);
        int before = heartbeats.get();
        n3.applicationSetWeight("api", 10);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(discovery.getInstances("api"))
                        .extracting(ServiceInstance::getInstanceId)
                        .contains("n3@localhost"));
        assertThat(heartbeats.get()).isGreaterThan(before);
        n3.applicationSetWeight("api", 0);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(discovery.getInstances("api"))
                        .extracting(ServiceInstance::getInstanceId)
                        .doesNotContain("n3@localhost"));
    }

    @Test
    void clusterConfigurationIsAPropertySourceAndAChangeRebindsWithoutARestart() throws Exception {
        WeightedApplication.Demo demo = nodes.get(1).getBean(WeightedApplication.Demo.class);
        assertThat(nodes.get(1).getEnvironment().getProperty("demo.limit")).isEqualTo("5");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> demo.getLimit() == 5);
        etcd.etcdctl("put", "services/ergo/cluster/" + CLUSTER + "/config/*/demo.greeting", "hello");
        etcd.etcdctl("put", "services/ergo/cluster/" + CLUSTER + "/config/n2/demo.limit", "int:9");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(demo.getGreeting()).isEqualTo("hello");
            assertThat(demo.getLimit()).isEqualTo(9);
        });
        assertThat(nodes.get(0).getBean(WeightedApplication.Demo.class).getLimit())
                .as("a per-node item applies to its node only")
                .isEqualTo(5);
    }
}
