package services.ergo.spring.inspect;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.slf4j.LoggerFactory;
import services.ergo.inspect.LogBuffer;
import services.ergo.inspect.LogSource;

/**
 * Feeds every log event of the JVM's Logback into a {@link LogBuffer}, the inspector's {@link LogSource}.
 *
 * <p>Not Logback's {@code CyclicBufferAppender}: it keeps whole events without numbers, and reading its length and
 * then its events races with appends, so a reader could neither ask for "what came after line n" nor filter
 * reliably; {@code LogBuffer} numbers each line under its own lock. For the same reason the appender is
 * Logback's unsynchronized base: the buffer's lock is enough, and logging threads need not queue on a second one.
 */
public final class LogbackCapture extends UnsynchronizedAppenderBase<ILoggingEvent> {
    public static final String NAME = "ergo-observer-log";

    private final LogBuffer buffer;

    private LogbackCapture(LogBuffer buffer) {
        this.buffer = buffer;
    }

    /**
     * Attaches a capture to the root logger, unless one is there; returns what it fills. Another logging system
     * than Logback: no capture, and the live log stays empty.
     */
    public static synchronized LogSource install(int capacity) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return LogSource.none();
        }
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root.getAppender(NAME) instanceof LogbackCapture existing) {
            return existing.buffer;
        }
        LogbackCapture capture = new LogbackCapture(new LogBuffer(capacity));
        capture.setName(NAME);
        capture.setContext(context);
        capture.start();
        root.addAppender(capture);
        return capture.buffer;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            message = message + " — " + event.getThrowableProxy().getClassName() + ": "
                    + event.getThrowableProxy().getMessage();
        }
        buffer.add(
                event.getTimeStamp(),
                event.getLevel().toString(),
                event.getLoggerName(),
                event.getThreadName(),
                message);
    }
}
