package services.ergo.net;

import io.netty.buffer.ByteBuf;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.fory.Fory;
import org.apache.fory.ThreadSafeFory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;
import org.jspecify.annotations.Nullable;
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
 *
 * <p>Encoding uses one Fory per sending thread. Decoding uses one Fory per lane ({@link #newDecoder}): a decoder
 * keeps state learned from what it read (type definitions, in compatible mode), and the fuzz test showed that
 * garbage from one peer could leave a shared decoder decoding the next, valid, message of another peer wrongly.
 * A peer can now only confuse its own lane, which it can break anyway. A decoder allocates no more than its payload
 * justifies ({@link DecodeLimits}); encoders are plain Fory, so what goes on the wire is unchanged.
 */
final class ForyCodec implements PayloadCodec {
    /** Payloads up to this size are decoded from a per-lane reused array; bigger ones from a fresh one. */
    private static final int MAX_SCRATCH = 256 * 1024;
    /** The first byte of a payload: what follows is Fory's encoding, or a byte[] as it is. */
    private static final byte FORY = 0;

    private static final byte RAW_BYTES = 1;

    private static final ThreadLocal<MemoryBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> MemoryBuffer.newHeapBuffer(4096));

    static {
        org.apache.fory.logging.LoggerFactory.useSlf4jLogging(true); // its lines go where the node's go
    }

    private final ClassLoader loader;
    /** Replaced, not changed, when a type is registered: Fory refuses registrations once it has serialized. */
    private volatile ThreadSafeFory encoders;

    /**
     * Every type registered, replaced as a whole: a Fory is built from one such list, so it never holds a type
     * without the types registered with it in one call (a Fory whose record misses its field's type fails on its
     * JIT thread, and decodes that record as garbage).
     */
    private volatile List<Class<?>> registered;

    ForyCodec() {
        this(ForyCodec.class.getClassLoader());
    }

    /** A codec whose classes come from {@code loader} (the tests decode with another version of a class). */
    ForyCodec(ClassLoader loader) {
        this.loader = loader;
        this.registered = List.of(Pid.class, ProcessId.class, Alias.class, Ref.class, Event.class);
        this.encoders = buildEncoders(registered);
    }

    private org.apache.fory.config.ForyBuilder builder() {
        return Fory.builder()
                .withClassLoader(loader)
                .withLanguage(Language.JAVA)
                .requireClassRegistration(true)
                .withCompatibleMode(CompatibleMode.COMPATIBLE)
                .withRefTracking(false)
                // not async: Fory 0.13.2's JIT compiler thread can fail its completion with an NPE
                // (JITContext: the notify list of a callback id is gone), an uncaught exception that Awaitility
                // surfaced in LeaderGroupTest on CI. Compiled in the caller, a type's first message pays the
                // codegen once (the classes are cached for every Fory after); steady state is the same.
                .withAsyncCompilation(false);
    }

    private ThreadSafeFory buildEncoders(List<Class<?>> types) {
        ThreadSafeFory f = builder().buildThreadSafeFory();
        for (Class<?> c : types) {
            f.register(c, c.getName()); // by name, so the order of registration never matters
        }
        return f;
    }

    /**
     * Registers a type at any time, also after messages have gone: Fory cannot learn a type once it has serialized,
     * so the encoders are rebuilt with every type known (registration is rare; encoding in flight finishes on the
     * old ones).
     */
    @Override
    public void register(Class<?> type) {
        registerAll(List.of(type));
    }

    /** Registers types that refer to each other at once: no Fory ever sees some of them without the others. */
    @Override
    public synchronized void registerAll(Collection<Class<?>> types) {
        Set<Class<?>> all = new LinkedHashSet<>(registered);
        if (all.addAll(types)) {
            List<Class<?>> now = List.copyOf(all);
            encoders = buildEncoders(now);
            registered = now;
        }
    }

    @Override
    public void encode(@Nullable Object value, ByteBuf out) {
        if (value instanceof byte[] raw) {
            // blobs (a protobuf, a file chunk) travel as they are: one copy in, one copy out, no codec
            out.ensureWritable(1 + raw.length);
            out.writeByte(RAW_BYTES);
            out.writeBytes(raw);
            return;
        }
        out.writeByte(FORY);
        MemoryBuffer encoded;
        try {
            // into a per-thread scratch buffer, then one copy into the frame: no array per message
            encoded = encoders.execute(fory -> {
                MemoryBuffer scratch = SCRATCH.get();
                scratch.writerIndex(0);
                fory.serialize(scratch, value);
                return scratch;
            });
        } catch (RuntimeException e) {
            throw new ErgoException("cannot send a "
                    + (value == null ? "null" : value.getClass().getName())
                    + ": register it (and the types of its fields) with network().registerType on both nodes ("
                    + e.getMessage() + ")");
        }
        int n = encoded.writerIndex();
        out.ensureWritable(n);
        out.writeBytes(encoded.getHeapMemory(), 0, n);
        if (n > MAX_SCRATCH) {
            SCRATCH.remove(); // one huge message must not pin its buffer to the thread for good
        }
    }

    @Override
    public @Nullable Object decode(ByteBuf in, int length) {
        return newDecoder().decode(in, length);
    }

    /**
     * A decoder for one lane, used only on that lane's event loop. It learns types registered after its creation
     * on first need.
     */
    Decoder newDecoder() {
        return new Decoder();
    }

    /** Decodes the payloads of one lane. */
    final class Decoder {
        /** Made on the first decode, and again when types were registered since. */
        private @Nullable Fory fory;

        private @Nullable List<Class<?>> known;
        private byte[] scratch = new byte[4096];
        private final DecodeLimits limits = new DecodeLimits();

        private byte[] scratch(int length) {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, scratch.length * 2)];
            }
            return scratch;
        }

        @Nullable
        Object decode(ByteBuf in, int length) {
            if (length < 1) {
                throw new ProtocolException("empty payload");
            }
            byte kind = in.readByte();
            length--;
            if (kind == RAW_BYTES) {
                byte[] raw = new byte[length];
                in.readBytes(raw);
                return raw;
            }
            if (kind != FORY) {
                throw new ProtocolException("unknown payload kind " + kind);
            }
            List<Class<?>> now = registered;
            if (known != now) {
                // a type registered since this decoder was made: a fresh Fory that knows every one (Fory cannot
                // learn a type after it has deserialized)
                Fory fresh = DecodeLimits.decoder(builder(), limits);
                for (Class<?> c : now) {
                    fresh.register(c, c.getName());
                }
                fory = fresh;
                known = now;
            }
            // one bulk copy into a reused heap array: Fory then reads arrays and strings with arraycopy, where
            // reading them from the frame's direct memory went byte by byte (JFR: 44% of a receiving event loop
            // at 1 KiB payloads)
            byte[] bytes = length <= MAX_SCRATCH ? scratch(length) : new byte[length];
            in.getBytes(in.readerIndex(), bytes, 0, length);
            MemoryBuffer view = MemoryBuffer.fromByteArray(bytes, 0, length);
            try {
                limits.start(length);
                return fory.deserialize(view);
            } catch (RuntimeException | StackOverflowError e) {
                Throwable cause = e; // Fory wraps what failed in a message that says only that it failed
                while (cause.getCause() != null && cause.getCause() != cause) {
                    cause = cause.getCause();
                }
                throw new ProtocolException("undecodable payload of " + length + " bytes: " + cause);
            } finally {
                in.skipBytes(length);
            }
        }
    }
}
