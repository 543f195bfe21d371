package services.ergo.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The most recent log lines, numbered, for the Observer's live log: a {@link LogSource} that a log capture fills
 * with {@link #add}. Bounded: the oldest lines go first. Safe to add to from any thread.
 *
 * <pre>{@code
 * LogBuffer logs = new LogBuffer(2000);
 * logs.add(System.currentTimeMillis(), "WARN", "orders", "main", "order 7 is late");
 * logs.after(0, "info", "order", 50);   // [Line[seq=1, …, message=order 7 is late]]
 * }</pre>
 */
public final class LogBuffer implements LogSource {
    /** How many lines a node keeps unless told otherwise (the starter's {@code ergo.inspector.log-lines}). */
    public static final int DEFAULT_LINES = 2000;

    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private final @Nullable Line[] lines;
    private long next = 1;

    /** A buffer of the newest {@code capacity} lines ({@code >= 1}). */
    public LogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("log buffer capacity must be >= 1, got " + capacity);
        }
        this.lines = new Line[capacity];
    }

    /** Appends a line, numbered one more than the line before; the oldest goes when the buffer is full. */
    public synchronized void add(long timeMillis, String level, String logger, String thread, String message) {
        long seq = next++;
        lines[(int) (seq % lines.length)] = new Line(seq, timeMillis, level, logger, thread, message);
    }

    @Override
    public synchronized long next() {
        return next;
    }

    @Override
    public synchronized List<Line> after(long after, @Nullable String minLevel, @Nullable String text, int limit) {
        int min = minLevel == null ? 0 : Math.max(0, LEVELS.indexOf(minLevel.toUpperCase(Locale.ROOT)));
        String needle = text == null || text.isBlank() ? null : text.toLowerCase(Locale.ROOT);
        long from = Math.max(after + 1, next - lines.length);
        List<Line> out = new ArrayList<>();
        for (long seq = from; seq < next; seq++) {
            Line l = lines[(int) (seq % lines.length)];
            if (l == null || l.seq() != seq) {
                continue;
            }
            if (LEVELS.indexOf(l.level()) < min) {
                continue;
            }
            if (needle != null
                    && !l.message().toLowerCase(Locale.ROOT).contains(needle)
                    && !l.logger().toLowerCase(Locale.ROOT).contains(needle)) {
                continue;
            }
            out.add(l);
        }
        return out.size() > limit ? new ArrayList<>(out.subList(out.size() - limit, out.size())) : out;
    }
}
