package services.ergo.spring.inspect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The most recent log lines of this JVM, numbered, for the Observer's live log: a reader asks for what came after
 * the last number it saw. Bounded: the oldest lines go first.
 */
public final class LogBuffer {
    /** One line of log. */
    public record Line(long seq, long timeMillis, String level, String logger, String thread, String message) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seq", seq);
            m.put("time", timeMillis);
            m.put("level", level);
            m.put("logger", logger);
            m.put("thread", thread);
            m.put("message", message);
            return m;
        }
    }

    private static final List<String> LEVELS = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");

    private final Line[] lines;
    private long next = 1;

    public LogBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("log buffer capacity must be >= 1, got " + capacity);
        }
        this.lines = new Line[capacity];
    }

    public synchronized void add(long timeMillis, String level, String logger, String thread, String message) {
        long seq = next++;
        lines[(int) (seq % lines.length)] = new Line(seq, timeMillis, level, logger, thread, message);
    }

    /** The number the next line will get. */
    public synchronized long next() {
        return next;
    }

    /**
     * Lines after {@code after}, at or above {@code minLevel} (null: all), whose logger or message contains
     * {@code text} (case-insensitive; null: all), the newest {@code limit} of them, oldest first.
     */
    public synchronized List<Line> after(long after, String minLevel, String text, int limit) {
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
