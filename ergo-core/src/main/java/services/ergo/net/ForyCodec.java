package services.ergo.net;

import io.netty.buffer.ByteBuf;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import services.ergo.gen.Alias;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Event;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessId;
import services.ergo.gen.Ref;

/**
 * Payloads with Apache Fory: registration required (a type nobody registered is refused at the sender, never
 * decoded blindly at the receiver), types named by class name so the two sides need not register in the same
 * order, and compatible mode so a record that gained or lost a field still decodes on the other version.
 */
final class ForyCodec implements PayloadCodec {
    static {
        org.apache.fory.logging.LoggerFactory.useSlf4jLogging(true); // its lines go where the node's go
    }

    private final ThreadSafeFory fory;
    private final Set<Class<?>> registered = ConcurrentHashMap.newKeySet();

    ForyCodec() {
        this(ForyCodec.class.getClassLoader());
    }

    /** A codec whose classes come from {@code loader} (the tests decode with another version of a class). */
    ForyCodec(ClassLoader loader) {
        fory = Fory.builder()
                .withClassLoader(loader)
                .withLanguage(Language.JAVA)
                .requireClassRegistration(true)
                .withCompatibleMode(CompatibleMode.COMPATIBLE)
                .withRefTracking(false)
                .withAsyncCompilation(true)
                .buildThreadSafeFory();
        for (Class<?> c : new Class<?>[] {Pid.class, ProcessId.class, Alias.class, Ref.class, Event.class}) {
            register(c);
        }
    }

    @Override
    public void register(Class<?> type) {
        if (registered.add(type)) {
            fory.register(type, type.getName());
        }
    }

    @Override
    public void encode(Object value, ByteBuf out) {
        byte[] bytes;
        try {
            bytes = fory.serialize(value);
        } catch (RuntimeException e) {
            throw new ErgoException("cannot send a "
                    + (value == null ? "null" : value.getClass().getName())
                    + ": register it (and the types of its fields) with network().registerType on both nodes ("
                    + e.getMessage() + ")");
        }
        out.writeBytes(bytes);
    }

    @Override
    public Object decode(ByteBuf in, int length) {
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        try {
            return fory.deserialize(bytes);
        } catch (RuntimeException e) {
            throw new ProtocolException("undecodable payload of " + length + " bytes: " + e.getMessage());
        }
    }
}
