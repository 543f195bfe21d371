package services.ergo.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;
import services.ergo.Ergo;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationMode;
import services.ergo.gen.ApplicationState;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.Ref;
import services.ergo.gen.Registrar;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderOptions;
import services.ergo.registrar.EmbeddedRegistrar;
import services.ergo.spring.actor.ErgoActor;
import services.ergo.spring.actor.ErgoActors;
import services.ergo.spring.actor.ErgoApplication;
import services.ergo.spring.lifecycle.ErgoDrainLifecycle;
import services.ergo.spring.lifecycle.ErgoNodeLifecycle;

class ErgoAutoConfigurationTest {

    /** A private registrar and any free acceptor port, so tests never meet another node by accident. */
    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ErgoAutoConfiguration.class))
            .withPropertyValues(
                    "spring.application.name=test",
                    "ergo.node.name=test@localhost",
                    "ergo.registrar.embedded.port=0",
                    "ergo.network.port=0",
                    "ergo.shutdown.grace-period=1s");

    @Test
    void startsANodeWithTheEmbeddedRegistrarByDefault() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(Node.class);
            assertThat(context).hasSingleBean(EmbeddedRegistrar.class);
            assertThat(context).hasSingleBean(ErgoActors.class);
            assertThat(context).hasSingleBean(ErgoNodeLifecycle.class);
            assertThat(context).hasSingleBean(ErgoDrainLifecycle.class);
            Node node = context.getBean(Node.class);
            assertThat(node.name()).isEqualTo("test@localhost");
            assertThat(node.isAlive()).isTrue();
            assertThat(node.network().registrar()).isSameAs(context.getBean(Registrar.class));
        });
    }

    @Test
    void theNodeNameDefaultsToTheApplicationNameAtTheHostName() {
        runner.withPropertyValues("ergo.node.name=", "ergo.network.enabled=false")
                .run(context -> {
                    assertThat(context.getBean(Node.class).name()).startsWith("test@");
                });
    }

    @Test
    void theNodeStopsWithTheContext() {
        Node[] node = new Node[1];
        runner.run(context -> node[0] = context.getBean(Node.class));
        assertThat(node[0].isAlive()).isFalse();
    }

    @Test
    void backsOffWhenSwitchedOff() {
        runner.withPropertyValues("ergo.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(Node.class);
            assertThat(context).doesNotHaveBean(Registrar.class);
        });
    }

    @Test
    void backsOffToTheApplicationsOwnNodeAndRegistrar() {
        runner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasSingleBean(Node.class);
            assertThat(context.getBean(Node.class).name()).isEqualTo("own@localhost");
            assertThat(context).hasSingleBean(Registrar.class);
            assertThat(context).hasBean("ownRegistrar");
        });
    }

    @Test
    void badValuesNameTheProperty() {
        assertFailure("ergo.network.port=70000", "ergo.network.port");
        assertFailure("ergo.network.pool-size=0", "ergo.network.pool-size");
        assertFailure("ergo.network.max-message-size=10B", "ergo.network.max-message-size");
        assertFailure("ergo.node.name=no-host", "ergo.node.name");
        assertFailure("ergo.node.call-timeout=0s", "ergo.node.call-timeout");
        assertFailure("ergo.network.tls.mode=certificates", "ergo.network.tls.certificate-chain");
        assertFailure("ergo.applications.jobs.weight=-1", "ergo.applications.jobs.weight");
        assertFailure("ergo.registrar.type=zookeeper", "ergo.registrar.type");
    }

    @Test
    void severalBadValuesAreListedTogether() {
        runner.withPropertyValues(
                        "ergo.network.port=70000", "ergo.network.pool-size=0", "ergo.network.handshake-timeout=0s")
                .run(context -> {
                    assertThat(context).hasFailed();
                    assertThat(context.getStartupFailure())
                            .rootCause()
                            .isInstanceOf(InvalidErgoPropertiesException.class)
                            .hasMessageContaining("ergo.network.port: 70000")
                            .hasMessageContaining("ergo.network.pool-size: 0")
                            .hasMessageContaining("ergo.network.handshake-timeout: PT0S");
                });
    }

    @Test
    void theEmbeddedRegistrarAndTheLeaderGroupsTakeTheirProperties() {
        runner.withPropertyValues(
                        "ergo.registrar.embedded.resolve-timeout=500ms",
                        "ergo.leader.groups.schedulers.peers=scheduler@a@h, scheduler@b@h",
                        "ergo.leader.groups.schedulers.heartbeat=20ms")
                .run(context -> {
                    EmbeddedRegistrar registrar = context.getBean(EmbeddedRegistrar.class);
                    assertThat(registrar.options().resolveTimeout()).isEqualTo(Duration.ofMillis(500));
                    LeaderOptions group = context.getBean(LeaderGroups.class).options("schedulers");
                    assertThat(group.peers()).hasSize(2);
                    assertThat(group.heartbeat()).isEqualTo(Duration.ofMillis(20));
                    assertThat(group.electionMin()).isEqualTo(LeaderOptions.DEFAULT_ELECTION_MIN);
                });
    }

    @Test
    void aBadLeaderGroupNamesItsProperty() {
        assertFailure("ergo.leader.groups.g.peers=nobody", "ergo.leader.groups.g.peers");
        assertFailure("ergo.registrar.embedded.port=70000", "ergo.registrar.embedded.port");
    }

    private void assertFailure(String property, String named) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            Throwable t = context.getStartupFailure();
            StringBuilder messages = new StringBuilder();
            for (Throwable c = t; c != null; c = c.getCause()) {
                messages.append(c.getMessage()).append('\n');
            }
            assertThat(messages.toString()).as(property).contains(named);
        });
    }

    @Test
    void actorBeansGetTheirDependenciesAndAFreshInstancePerProcess() {
        runner.withUserConfiguration(Greeting.class, Greeter.class).run(context -> {
            Node node = context.getBean(Node.class);
            assertThat(node.whereIs("greeter")).isNotNull();
            assertThat(node.call("greeter", "Ada")).isEqualTo("hello, Ada (instance 1)");
            ErgoActors actors = context.getBean(ErgoActors.class);
            Pid other = node.spawn(actors.factory(Greeter.class), ProcessOptions.defaults());
            assertThat(node.call(other, "Bob")).isEqualTo("hello, Bob (instance 1)");
        });
    }

    @Test
    void actorsOfAnApplicationStartWithItAndTakeTheirWeightFromYml() {
        runner.withUserConfiguration(Jobs.class, JobWorker.class, OnDemand.class)
                .withPropertyValues("ergo.applications.jobs.weight=7")
                .run(context -> {
                    Node node = context.getBean(Node.class);
                    var info = node.applicationInfo("jobs");
                    assertThat(info.state()).isEqualTo(ApplicationState.RUNNING);
                    assertThat(info.weight()).isEqualTo(7);
                    assertThat(info.mode()).isEqualTo(ApplicationMode.PERMANENT);
                    assertThat(info.group()).hasSize(2);
                    assertThat(node.whereIs("job-worker-1")).isNotNull();
                    assertThat(node.whereIs("job-worker-2")).isNotNull();
                    assertThat(node.whereIs("on-demand")).isNull();
                    context.getBean(ErgoActors.class).spawn(OnDemand.class);
                    assertThat(node.whereIs("on-demand")).isNotNull();
                });
    }

    @Test
    void aYmlApplicationThatDoesNotExistIsReported() {
        runner.withPropertyValues("ergo.applications.nope.weight=1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("ergo.applications.nope");
        });
    }

    @Test
    void aSingletonActorIsRefused() {
        runner.withUserConfiguration(Greeting.class, SingletonActor.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .rootCause()
                    .hasMessageContaining("prototype-scoped")
                    .hasMessageContaining(Greeter.class.getName());
        });
    }

    @Test
    void drainingSetsWeightsToZeroBeforeTheNodeStops() {
        runner.withUserConfiguration(Jobs.class, JobWorker.class).run(context -> {
            Node node = context.getBean(Node.class);
            context.getBean(ErgoDrainLifecycle.class).stop();
            assertThat(node.applicationInfo("jobs").weight()).isZero();
            assertThat(node.applicationInfo("jobs").state()).isEqualTo(ApplicationState.RUNNING);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {
        @Bean
        Registrar ownRegistrar() {
            return new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(0));
        }

        @Bean(destroyMethod = "stop")
        Node ownNode(Registrar ownRegistrar) {
            return Ergo.startNode(
                    "own@localhost",
                    NodeOptions.builder()
                            .network(NetworkOptions.on().withPort(0))
                            .registrar(() -> ownRegistrar)
                            .build());
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SingletonActor {
        @Bean
        Greeter shared(Greeting greeting) {
            return new Greeter(greeting); // a @Bean method makes a singleton: one instance for every process
        }
    }

    @Component
    static class Greeting {
        String greet(String who) {
            return "hello, " + who;
        }
    }

    @ErgoActor(name = "greeter")
    static class Greeter extends Actor {
        private final Greeting greeting;
        private int calls;

        Greeter(Greeting greeting) {
            this.greeting = greeting;
        }

        @Override
        protected Object handleCall(Pid from, Ref ref, Object request) {
            calls++;
            return greeting.greet((String) request) + " (instance " + calls + ")";
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ErgoApplication(name = "jobs", weight = 100, mode = ApplicationMode.PERMANENT)
    static class Jobs {}

    @ErgoActor(name = "job-worker", application = "jobs", instances = 2, mailboxSize = 100)
    static class JobWorker extends Actor {}

    @ErgoActor(name = "on-demand", start = ErgoActor.Start.ON_DEMAND)
    static class OnDemand extends Actor {}
}
