package services.ergo.spring.it;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import services.ergo.gen.Node;

/**
 * The order of a shutdown against Spring's: weights go to 0 before the web server stops, the node outlives the
 * web server, and the work queued in mailboxes is done within the grace period before the node stops.
 */
class ShutdownOrderTest {

    @Test
    void drainsBeforeTheWebServerStopsAndFinishesQueuedWorkBeforeTheNodeStops() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ShutdownApplication.class)
                .properties(
                        "server.port=0",
                        "server.shutdown=graceful",
                        "ergo.node.name=shutdown@localhost",
                        "ergo.network.port=0",
                        "ergo.registrar.embedded.port=0",
                        "ergo.shutdown.grace-period=10s")
                .run();
        Node node = context.getBean(Node.class);
        ShutdownApplication.Done done = context.getBean(ShutdownApplication.Done.class);
        ShutdownApplication.WebPhaseProbe probe = context.getBean(ShutdownApplication.WebPhaseProbe.class);
        assertThat(node.applicationInfo("work").weight()).isEqualTo(100);
        for (int i = 0; i < 50; i++) {
            node.send("slow", i);
        }
        context.close();
        assertThat(probe.weightWhenWebStopped)
                .as("drained before the web server stopped")
                .isZero();
        assertThat(probe.nodeAliveWhenWebStopped)
                .as("the node outlives the web server")
                .isTrue();
        assertThat(done.jobs).as("queued work finished before the node stopped").hasSize(50);
        assertThat(node.isAlive()).isFalse();
    }
}
