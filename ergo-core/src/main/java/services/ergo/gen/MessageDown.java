package services.ergo.gen;

/**
 * What a monitor delivers when its target goes away, on the System queue, to {@code handleMessage}.
 *
 * <pre>{@code
 * if (message instanceof MessageDownPid down) {
 *     log().info("{} ended: {}", down.pid(), down.reason());
 * }
 * }</pre>
 */
public sealed interface MessageDown permits MessageDownPid, MessageDownProcessId, MessageDownEvent, MessageDownNode {
    Ref ref();

    Reason reason();
}
