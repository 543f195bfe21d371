package services.ergo.gen;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Why a process (or an application, or a node) ended. Two reasons are equal when their texts are, so a reason
 * that crossed the network equals the one it was made from.
 *
 * <p>As in Erlang and Ergo: {@link #NORMAL} and {@link #SHUTDOWN} are orderly ends; anything else is abnormal.
 * A linked process that does not trap exits ignores an exit signal with reason {@code normal} and ends with any
 * other; {@link #KILL} cannot be trapped.
 */
public final class Reason {
    public static final Reason NORMAL = new Reason("normal", null);
    public static final Reason SHUTDOWN = new Reason("shutdown", null);
    public static final Reason KILL = new Reason("kill", null);
    /** The node that ran the process is not reachable any more. */
    public static final Reason NO_CONNECTION = new Reason("noconnection", null);
    /** The target did not exist when the link or monitor was made. */
    public static final Reason NO_PROCESS = new Reason("noproc", null);

    private final String text;
    private final @Nullable Throwable error;

    private Reason(String text, @Nullable Throwable error) {
        this.text = Objects.requireNonNull(text, "text");
        this.error = error;
    }

    /** A reason with the given text; the well-known texts map to the constants. */
    public static Reason of(String text) {
        return switch (text) {
            case "normal" -> NORMAL;
            case "shutdown" -> SHUTDOWN;
            case "kill" -> KILL;
            case "noconnection" -> NO_CONNECTION;
            case "noproc" -> NO_PROCESS;
            default -> new Reason(text, null);
        };
    }

    /** The reason of a process whose handler threw {@code error}. */
    public static Reason error(Throwable error) {
        return new Reason(String.valueOf(error), error);
    }

    public String text() {
        return text;
    }

    /** The exception that ended the process, when one did and it is known on this node; else null. */
    public @Nullable Throwable error() {
        return error;
    }

    public boolean isNormal() {
        return text.equals("normal");
    }

    /** Whether the end was not orderly: neither {@code normal} nor {@code shutdown}. */
    public boolean isAbnormal() {
        return !isNormal() && !text.equals("shutdown");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reason r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
