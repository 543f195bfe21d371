package services.ergo.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EtcdServerPortsTest {
    @Test
    void portsForOneStartAreAllDifferent() throws Exception {
        int[] ports = EtcdServer.freePorts(40);

        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(40);
        assertThat(Arrays.stream(ports).min().orElseThrow()).isPositive();
    }
}
