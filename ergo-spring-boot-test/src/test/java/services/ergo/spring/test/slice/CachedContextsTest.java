package services.ergo.spring.test.slice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestClassOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import services.ergo.gen.Node;
import services.ergo.gen.ProcessId;
import services.ergo.spring.test.AutoConfigureErgo;
import services.ergo.spring.test.ErgoTest;

/**
 * Test classes share a cached context, as a suite's do; between two uses Spring Framework 7 pauses it for the other
 * context, and the node and its actors must be there again afterwards, for a full test and for the slice alike.
 */
@TestClassOrder(ClassOrderer.OrderAnnotation.class)
class CachedContextsTest {

    static void theNodeAnswers(Node node) {
        assertThat(node.call(new ProcessId("counter", node.name()), "count"))
                .asString()
                .endsWith(" on " + node.name());
    }

    @Nested
    @Order(1)
    @SpringBootTest
    @AutoConfigureErgo
    class Full {
        @Autowired
        Node node;

        @Test
        void answers() {
            theNodeAnswers(node);
        }
    }

    @Nested
    @Order(2)
    @ErgoTest
    class Slice {
        @Autowired
        Node node;

        @Test
        void answers() {
            theNodeAnswers(node);
        }
    }

    @Nested
    @Order(3)
    @SpringBootTest
    @AutoConfigureErgo
    class FullAgainAfterAPause {
        @Autowired
        Node node;

        @Test
        void answers() {
            theNodeAnswers(node);
        }
    }

    @Nested
    @Order(4)
    @ErgoTest
    class SliceAgainAfterAPause {
        @Autowired
        Node node;

        @Test
        void answers() {
            theNodeAnswers(node);
        }
    }
}
