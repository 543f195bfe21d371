package services.ergo.spring.inspect;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/** Feeds every log event of the JVM's Logback into a {@link LogBuffer}. */
public final class LogbackCapture extends AppenderBase<ILoggingEvent> {
    public static final String NAME = "ergo-observer-log";

    private final LogBuffer buffer;

    private LogbackCapture(LogBuffer buffer) {
        this.buffer = buffer;
    }

    /** Attaches a capture to the root logger, unless one is there; returns the buffer it fills. */
    public static synchronized LogBuffer install(int capacity) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new LogBuffer(capacity); // another logging system: the live log stays empty
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
