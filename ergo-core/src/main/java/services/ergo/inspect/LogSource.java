package services.ergo.inspect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where the inspector's {@code logs} request reads recent log lines: numbered lines a reader pages through by
 * asking for what came after the last number it saw. {@link LogBuffer} is the ring a log capture fills (the Spring
 * starter's Logback appender does); {@link #none()} is the source of a node that captures nothing, whose
 * {@code logs} answer is an empty list.
 *
 * <pre>{@code
 * LogBuffer logs = new LogBuffer(2000);
 * Inspector.start(node, InspectorOptions.defaults().withLogs(logs));
 * logs.add(System.currentTimeMillis(), "INFO", "billing", Thread.currentThread().getName(), "invoice 42 sent");
 * }</pre>
 */
public interface LogSource {

    /**
     * One line of log.
     *
     * @param seq its number, from 1, one more than the line before
     * @param timeMillis when it was logged, epoch milliseconds
     * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
     * @param logger the logger's name
     * @param thread the thread that logged it
     * @param message the formatted message
     */
    record Line(long seq, long timeMillis, String level, String logger, String thread, String message) {
        /** The line as the inspector sends it (keys {@code seq}, {@code time}, {@code level}, …). */
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

    /**
     * Lines after {@code after}, at or above {@code minLevel} (null: all), whose logger or message contains
     * {@code text} (case-insensitive; null or blank: all), the newest {@code limit} of them, oldest first.
     */
    List<Line> after(long after, @Nullable String minLevel, @Nullable String text, int limit);

    /** The number the next line will get: a reader that saw everything asks for lines after {@code next() - 1}. */
    long next();

    /** A source with no lines, for a node that captures no log. */
    static LogSource none() {
        return NoLogs.INSTANCE;
    }
}
