package services.ergo.node;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.AbstractLogger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * A process's logger: puts the node and the process in the MDC ({@code ergo.node}, {@code ergo.pid}) for the
 * duration of each logging call only. Setting the MDC on every turn instead would cost two thread-local map writes
 * per turn on the hot path, for the few turns that log.
 */
final class ProcessLogger extends AbstractLogger {
    private final transient Logger delegate;
    private final String node;
    private final String pid;

    ProcessLogger(Logger delegate, String node, String pid) {
        this.delegate = delegate;
        this.node = node;
        this.pid = pid;
        this.name = delegate.getName();
    }

    @Override
    protected @Nullable String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(
            Level level,
            @Nullable Marker marker,
            String message,
            @Nullable Object @Nullable [] arguments,
            @Nullable Throwable throwable) {
        String previousNode = MDC.get("ergo.node");
        String previousPid = MDC.get("ergo.pid");
        MDC.put("ergo.node", node);
        MDC.put("ergo.pid", pid);
        try {
            LoggingEventBuilder b = delegate.atLevel(level).setMessage(message);
            if (marker != null) {
                b = b.addMarker(marker);
            }
            if (arguments != null) {
                for (Object a : arguments) {
                    b = b.addArgument(a);
                }
            }
            if (throwable != null) {
                b = b.setCause(throwable);
            }
            b.log();
        } finally {
            restore("ergo.node", previousNode);
            restore("ergo.pid", previousPid);
        }
    }

    private static void restore(String key, @Nullable String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public boolean isTraceEnabled() {
        return delegate.isTraceEnabled();
    }

    @Override
    public boolean isTraceEnabled(Marker marker) {
        return delegate.isTraceEnabled(marker);
    }

    @Override
    public boolean isDebugEnabled() {
        return delegate.isDebugEnabled();
    }

    @Override
    public boolean isDebugEnabled(Marker marker) {
        return delegate.isDebugEnabled(marker);
    }

    @Override
    public boolean isInfoEnabled() {
        return delegate.isInfoEnabled();
    }

    @Override
    public boolean isInfoEnabled(Marker marker) {
        return delegate.isInfoEnabled(marker);
    }

    @Override
    public boolean isWarnEnabled() {
        return delegate.isWarnEnabled();
    }

    @Override
    public boolean isWarnEnabled(Marker marker) {
        return delegate.isWarnEnabled(marker);
    }

    @Override
    public boolean isErrorEnabled() {
        return delegate.isErrorEnabled();
    }

    @Override
    public boolean isErrorEnabled(Marker marker) {
        return delegate.isErrorEnabled(marker);
    }
}
