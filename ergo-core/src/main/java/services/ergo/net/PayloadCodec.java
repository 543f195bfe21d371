package services.ergo.net;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Encodes message payloads; the frame and control headers around them are the wire format's own. Pluggable, so a
 * codec can be swapped after measuring.
 */
interface PayloadCodec {
    /** Makes {@code type} sendable; both sides register the same types. */
    void register(Class<?> type);

    /** Makes {@code types} sendable together, for types that refer to each other. */
    default void registerAll(java.util.Collection<Class<?>> types) {
        types.forEach(this::register);
    }

    /**
     * Appends {@code value} to {@code out}.
     *
     * @throws services.ergo.gen.ErgoException naming the class, when its type is not registered
     */
    void encode(@Nullable Object value, ByteBuf out);

    /** Reads one value of {@code length} bytes (null when null was sent: a call's answer may be). */
    @Nullable
    Object decode(ByteBuf in, int length);
}
