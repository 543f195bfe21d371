package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import services.ergo.Ergo;
import services.ergo.gen.InvalidOptionException;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.Node;
import services.ergo.gen.NodeOptions;
import services.ergo.testing.TestRegistrar;

/**
 * An empty cookie is a key everyone has (M4 of the security review): beyond loopback the start stops, naming the
 * option; on loopback, where only this host's processes reach the node, it warns.
 */
class EmptyCookieTest {
    private static NodeOptions emptyCookieOn(String host) {
        return NodeOptions.builder()
                .registrar(TestRegistrar.shared())
                .network(NetworkOptions.on().withHost(host).withPort(0))
                .build();
    }

    @Test
    void anEmptyCookieOnTheWildcardAddressStopsTheStart() {
        assertThatThrownBy(() -> Ergo.startNode("open-wildcard@localhost", emptyCookieOn("0.0.0.0")))
                .isInstanceOfSatisfying(
                        InvalidOptionException.class,
                        e -> assertThat(e.option()).isEqualTo("cookie"))
                .hasMessageContaining("beyond loopback")
                .hasMessageContaining("ergo.node.cookie");
    }

    @Test
    void anEmptyCookieOnLoopbackStartsWithAWarning() {
        ch.qos.logback.classic.Logger log =
                (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(NetworkService.class);
        ListAppender<ILoggingEvent> lines = new ListAppender<>();
        lines.start();
        log.addAppender(lines);
        Node node = null;
        try {
            node = Ergo.startNode("open-loopback@localhost", emptyCookieOn("127.0.0.1"));
            assertThat(node.isAlive()).isTrue();
        } finally {
            log.detachAppender(lines);
            if (node != null) {
                node.stopForce();
            }
        }
        assertThat(lines.list)
                .anyMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                        && e.getFormattedMessage().contains("the cookie is empty"));
    }
}
