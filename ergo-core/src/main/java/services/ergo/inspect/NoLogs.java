package services.ergo.inspect;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@link LogSource#none()}: the log of a node that captures none. */
enum NoLogs implements LogSource {
    INSTANCE;

    @Override
    public List<Line> after(long after, @Nullable String minLevel, @Nullable String text, int limit) {
        return List.of();
    }

    @Override
    public long next() {
        return 1; // what an empty LogBuffer says, so a reader asking "after next - 1" starts at 0 with either
    }
}
