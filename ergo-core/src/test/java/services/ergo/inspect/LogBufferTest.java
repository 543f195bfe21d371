package services.ergo.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LogBufferTest {

    @Test
    void keepsTheNewestLinesAndFiltersByLevelAndText() {
        LogBuffer buffer = new LogBuffer(3);
        buffer.add(1, "INFO", "a.B", "main", "one");
        buffer.add(2, "DEBUG", "a.B", "main", "two");
        buffer.add(3, "WARN", "c.D", "main", "three");
        buffer.add(4, "ERROR", "c.D", "main", "four");
        assertThat(buffer.next()).isEqualTo(5);
        assertThat(buffer.after(0, null, null, 10))
                .extracting(LogBuffer.Line::message)
                .containsExactly("two", "three", "four");
        assertThat(buffer.after(0, "warn", null, 10))
                .extracting(LogBuffer.Line::message)
                .containsExactly("three", "four");
        assertThat(buffer.after(0, null, "c.d", 10))
                .extracting(LogBuffer.Line::message)
                .containsExactly("three", "four");
        assertThat(buffer.after(3, null, null, 10))
                .extracting(LogBuffer.Line::message)
                .containsExactly("four");
        assertThat(buffer.after(0, null, null, 1))
                .extracting(LogBuffer.Line::message)
                .containsExactly("four");
        assertThatThrownBy(() -> new LogBuffer(0)).hasMessageContaining("capacity");
    }
}
