package services.ergo.spring.test.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import services.ergo.Ergo;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.NoConnectionException;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.ProcessId;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.registrar.etcd.EtcdRegistrar;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.spring.test.ErgoTestNode;
import services.ergo.spring.test.ErgoTestNodes;
import services.ergo.testkit.EtcdServer;

/**
 * A developer's machine with the service running: a real node serves the embedded registrar's default port 4499,
 * a real etcd listens on etcd's default port 2379, and the service's application.yml names both. Test contexts of
 * that service, annotated or not, register with neither and cannot reach the running node; what a test sets
 * itself still wins. The last three, which come after the others, join them: one names the etcd itself, two are
 * controls with isolation off, so the outside is really there to meet.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class IsolationTest {
    private static final String OUTSIDE = "outside@localhost";
    private static final int ETCD_DEFAULT_PORT = 2379;
    private static EtcdServer developersEtcd;
    private static Node outside;

    @BeforeAll
    static void theDevelopersServiceRuns() throws Exception {
        try (ServerSocket free = new ServerSocket()) {
            free.bind(new InetSocketAddress("127.0.0.1", ETCD_DEFAULT_PORT));
        } catch (IOException taken) {
            fail("port 2379 is taken on this machine: this test runs a real etcd there, the one tests must never"
                    + " reach; stop what holds it (an etcd of scripts/demo-full?) and run it again");
        }
        developersEtcd = EtcdServer.startOn(ETCD_DEFAULT_PORT);
        // default options: the embedded registrar on 4499 (served, or joined if another node serves it already)
        outside = Ergo.startNode(
                OUTSIDE, NodeOptions.builder().cookie("shop-cookie").build());
        assertThat(((EmbeddedRegistrar) outside.network().registrar()).port())
                .isEqualTo(EmbeddedRegistrar.Options.DEFAULT_PORT);
    }

    @AfterAll
    static void stop() throws Exception {
        if (outside != null) {
            outside.stop();
        }
        if (developersEtcd != null) {
            developersEtcd.close();
        }
    }

    static void neverMetTheOutside(Node node) throws IOException {
        assertThat(outside.network().registrar().nodes())
                .as("the registrar on 4499")
                .contains(OUTSIDE)
                .doesNotContain(node.name());
        assertThat(developersEtcd.etcdctl("get", "services/ergo/cluster/shop/", "--prefix", "--keys-only"))
                .as("the etcd on 2379")
                .isBlank();
        assertThatThrownBy(() -> node.network().connect(OUTSIDE))
                .as("dialing the running node")
                .isInstanceOf(NoConnectionException.class);
        assertThat(outside.network().stats(node.name()).connects())
                .as("connections the running node saw")
                .isZero();
    }

    @Nested
    @Order(1)
    @SpringBootTest
    @ActiveProfiles("embedded")
    @DirtiesContext
    class ApplicationYmlOnTheDefaultRegistrar {
        @Autowired
        Node node;

        @Test
        void aPlainSpringBootTestGetsARegistrarOfItsOwnFreePortsAndAUniqueName() throws Exception {
            assertThat(node.name()).matches("shop-[0-9a-f]{8}@localhost");
            EmbeddedRegistrar registrar = (EmbeddedRegistrar) node.network().registrar();
            assertThat(registrar.serving()).as("serves a registrar of its own").isTrue();
            assertThat(registrar.port()).isNotEqualTo(EmbeddedRegistrar.Options.DEFAULT_PORT);
            assertThat(node.network().acceptor().port())
                    .isNotEqualTo(NetworkOptions.on().port());
            neverMetTheOutside(node);
        }
    }

    @Nested
    @Order(2)
    @SpringBootTest
    @DirtiesContext
    class ApplicationYmlOnTheDevelopersEtcd {
        @Autowired
        Node node;

        @DynamicPropertySource
        static void name(DynamicPropertyRegistry registry) {
            registry.add("ergo.node.name", () -> "dynamic@localhost");
        }

        @Test
        void theTestRunsOnAPrivateEmbeddedRegistrarAndWhatItSetsWins() throws Exception {
            assertThat(node.name()).isEqualTo("dynamic@localhost");
            assertThat(node.network().registrar()).isInstanceOf(EmbeddedRegistrar.class);
            neverMetTheOutside(node);
        }
    }

    @Nested
    @Order(3)
    @SpringBootTest
    @AutoConfigureErgo(etcd = true)
    @DirtiesContext
    class EtcdAskedFor {
        @Autowired
        Node node;

        @Autowired
        EtcdServer etcd;

        @Autowired
        ErgoTestNodes nodes;

        @Test
        void theNodeRegistersInAnEtcdOfItsOwnWhereASecondNodeFindsIt() throws Exception {
            EtcdRegistrar registrar = (EtcdRegistrar) node.network().registrar();
            assertThat(registrar.options().endpoints()).containsExactly(etcd.endpoint());
            try (ErgoTestNode second = nodes.start("second")) {
                assertThat(second.name()).isEqualTo("second@localhost");
                Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .untilAsserted(() -> assertThat(node.call(new ProcessId("till", second.name()), "paid"))
                                .isEqualTo("paid at second@localhost"));
                assertThat(etcd.etcdctl("get", "services/ergo/cluster/shop/routes/nodes/", "--prefix", "--keys-only"))
                        .contains(node.name())
                        .contains("second@localhost");
            }
            neverMetTheOutside(node);
        }
    }

    @Nested
    @Order(4)
    @SpringBootTest
    @ActiveProfiles("embedded")
    @DirtiesContext
    class EtcdEndpointsTheTestNames {
        @Autowired
        Node node;

        @DynamicPropertySource
        static void endpoints(DynamicPropertyRegistry registry) {
            registry.add("ergo.registrar.etcd.endpoints", developersEtcd::endpoint);
        }

        @Test
        void winOverIsolationAndMeanTheEtcdRegistrar() throws Exception {
            EtcdRegistrar registrar = (EtcdRegistrar) node.network().registrar();
            assertThat(registrar.options().endpoints()).containsExactly(developersEtcd.endpoint());
            assertThat(developersEtcd.etcdctl("get", "services/ergo/cluster/shop/", "--prefix", "--keys-only"))
                    .contains(node.name());
        }
    }

    @Nested
    @Order(5)
    @SpringBootTest(properties = {"ergo.node.name=control@localhost", "ergo.network.port=0"})
    @ActiveProfiles("embedded")
    @AutoConfigureErgo(isolated = false)
    @DirtiesContext
    class ControlOnTheDefaultRegistrar {
        @Autowired
        Node node;

        @Test
        void withIsolationOffTheNodeJoinsTheRegistrarOn4499AndReachesTheRunningNode() {
            assertThat(outside.network().registrar().nodes()).contains("control@localhost");
            node.network().connect(OUTSIDE);
            Awaitility.await()
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> outside.network().nodes().contains("control@localhost"));
        }
    }

    @Nested
    @Order(6)
    @SpringBootTest(
            properties = {"ergo.test.isolated=false", "ergo.node.name=control-etcd@localhost", "ergo.network.port=0"})
    @DirtiesContext
    class ControlOnTheDevelopersEtcd {
        @Autowired
        Node node;

        @Test
        void withIsolationOffTheNodeRegistersInTheEtcdOn2379() throws Exception {
            assertThat(node.network().registrar()).isInstanceOf(EtcdRegistrar.class);
            assertThat(developersEtcd.etcdctl("get", "services/ergo/cluster/shop/", "--prefix", "--keys-only"))
                    .contains("control-etcd@localhost");
        }
    }
}
