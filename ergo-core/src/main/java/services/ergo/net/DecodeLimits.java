package services.ergo.net;

import java.io.ByteArrayOutputStream;
import java.util.Collection;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.fory.Fory;
import org.apache.fory.memory.MemoryBuffer;
import org.apache.fory.meta.DeflaterMetaCompressor;
import org.apache.fory.resolver.ClassResolver;
import org.apache.fory.serializer.ArraySerializers;
import org.apache.fory.serializer.Serializer;
import org.apache.fory.serializer.Serializers;
import org.apache.fory.serializer.collection.CollectionLikeSerializer;
import org.apache.fory.serializer.collection.CollectionSerializer;
import org.apache.fory.serializer.collection.CollectionSerializers;
import org.apache.fory.serializer.collection.MapLikeSerializer;
import org.apache.fory.serializer.collection.MapSerializer;

/**
 * What decoding one payload may allocate, bounded by the payload's length: every size the payload declares (of a
 * collection, a map, an array, a big integer) must fit in the bytes left after it, and all of them together in the
 * payload. An element takes at least a byte (its null flag, its type, its value or, nested, its own size), so no
 * encoding a sender can produce is refused but one: more elements that take no bytes (records without fields,
 * {@code Collections.emptyList()}) than the payload has bytes.
 *
 * <p>Why: Fory 0.13.2 has no limit of its own (apache/fory#3411; its builder has none, javap confirms). It allocates
 * what a collection, map or object array declares before reading an element, so 16 bytes asked for up to 4 GiB
 * ({@code DecoderLimitsTest}). A primitive array, {@code BigInteger} or {@code BitSet} that declares more bytes than
 * the payload has is not even refused: the buffer's bound check ignores a short bulk read, and a 14-byte payload
 * decoded as a 2 GiB array of zeros. An object with no fields takes no bytes in a same-type collection, so a check
 * per collection is not enough: nested lists multiplied a 4 KB payload into a million objects, hence the total.
 *
 * <p>How: only decoders change, so the bytes on the wire stay Fory's and both releases read each other. Each sized
 * serializer Fory has is wrapped: the wrapper peeks at the size Fory is about to read (the value's first varint in
 * every wrapped type, the third in a {@code BigDecimal}), checks it, then lets Fory's serializer read as before;
 * those Fory makes later (arrays of registered types, registered collection classes) are wrapped by a serializer
 * factory. Rewriting the serializers instead would have copied some fifty Fory classes and their formats, and each
 * Fory upgrade would have had to be compared with them.
 *
 * <p>Type definitions are not serializers and keep Fory's own decoding, with one change: a definition marked
 * compressed inflates within {@link #MAX_DEFINITION} and fails when its stream ends early, where Fory's inflater
 * loop never ended. The sizes inside a definition remain unchecked (a 20-byte payload still has Fory allocate some
 * 900 MB): later Fory releases bound them (1.6 has maxTypeMetaBytes and maxTypeFields), and an upgrade is the fix.
 */
final class DecodeLimits {
    /** A type definition is names and type ids: a record of a thousand fields takes some tens of KB. */
    static final int MAX_DEFINITION = 1 << 20;

    private static final ToIntFunction<MemoryBuffer> FIRST = MemoryBuffer::readVarUint32Small7;
    /** An object array's first varint is its length and a flag in the low bit. */
    private static final ToIntFunction<MemoryBuffer> LENGTH_AND_FLAG = b -> b.readVarUint32Small7() >>> 1;
    /** A BigDecimal's scale and precision come before the length of its digits. */
    private static final ToIntFunction<MemoryBuffer> THIRD = b -> {
        b.readVarUint32Small7();
        b.readVarUint32Small7();
        return b.readVarUint32Small7();
    };

    /** Bytes the elements still undeclared may take; the decoder of one lane uses it from its event loop only. */
    private int budget;

    /** Starts the count for a payload of {@code length} bytes. */
    void start(int length) {
        budget = length;
    }

    private void check(MemoryBuffer buffer, ToIntFunction<MemoryBuffer> sizeAt) {
        int at = buffer.readerIndex();
        int declared;
        try {
            declared = sizeAt.applyAsInt(buffer);
        } finally {
            buffer.readerIndex(at); // Fory reads the size itself
        }
        if (declared < 0 || declared > buffer.remaining() || declared > budget) {
            throw new ProtocolException("a declared size of " + (declared & 0xFFFFFFFFL) + " with " + buffer.remaining()
                    + " bytes left, " + budget + " of them not yet claimed by a size");
        }
        budget -= declared;
    }

    /** A Fory for decoding only, with type definitions that inflate within bounds. */
    static Fory decoder(org.apache.fory.config.ForyBuilder builder, DecodeLimits limits) {
        Fory fory = builder.withMetaCompressor(new BoundedMetaCompressor()).build();
        ClassResolver resolver = fory.getClassResolver();
        for (Class<?> c : resolver.getRegisteredClasses()) {
            Serializer<?> s = resolver.getSerializer(c, false);
            if (s != null) {
                Serializer<?> checked = limits.wrap(fory, s);
                if (checked != s) {
                    resolver.registerSerializer(c, checked);
                }
            }
        }
        ThreadLocal<Boolean> defaulting = ThreadLocal.withInitial(() -> false);
        resolver.setSerializerFactory((f, cls) -> {
            // Fory asks the factory again when it looks up the default: answer null then
            if (!(cls.isArray() || Collection.class.isAssignableFrom(cls) || Map.class.isAssignableFrom(cls))
                    || defaulting.get()) {
                return null;
            }
            defaulting.set(true);
            try {
                return limits.wrap(f, Serializers.newSerializer(f, cls, resolver.getSerializerClass(cls)));
            } finally {
                defaulting.set(false);
            }
        });
        return fory;
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Serializer<?> wrap(Fory fory, Serializer<?> s) {
        if (s instanceof CollectionLikeSerializer c
                && c.supportCodegenHook()
                // the one whose value starts with its map's type, not a size: that map's serializer checks
                && !(s instanceof CollectionSerializers.SetFromMapSerializer)) {
            return new CheckedCollection(fory, c, this);
        }
        if (s instanceof MapLikeSerializer m && m.supportCodegenHook()) {
            return new CheckedMap(fory, m, this);
        }
        if (s instanceof ArraySerializers.ObjectArraySerializer) {
            return new CheckedValue(fory, s, LENGTH_AND_FLAG, this);
        }
        if (s instanceof ArraySerializers.PrimitiveArraySerializer
                || s instanceof ArraySerializers.StringArraySerializer
                || s instanceof Serializers.BigIntegerSerializer
                || s instanceof CollectionSerializers.BitSetSerializer) {
            return new CheckedValue(fory, s, FIRST, this);
        }
        if (s instanceof Serializers.BigDecimalSerializer) {
            return new CheckedValue(fory, s, THIRD, this);
        }
        return s; // no size, or one read through a wrapped serializer (Arrays.asList, the unmodifiable views)
    }

    /**
     * Generated code reads a collection field through the hooks ({@code newCollection}, the elements, then
     * {@code onCollectionRead}), other code through {@code read}: both are checked, all else is Fory's.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class CheckedCollection extends CollectionSerializer {
        private final CollectionLikeSerializer inner;
        private final DecodeLimits limits;

        CheckedCollection(Fory fory, CollectionLikeSerializer inner, DecodeLimits limits) {
            super(fory, inner.getType(), true, inner.isImmutable());
            this.inner = inner;
            this.limits = limits;
        }

        @Override
        public Object read(MemoryBuffer buffer) {
            limits.check(buffer, FIRST);
            return inner.read(buffer);
        }

        @Override
        public Collection newCollection(MemoryBuffer buffer) {
            limits.check(buffer, FIRST);
            Collection c = inner.newCollection(buffer);
            setNumElements(inner.getAndClearNumElements());
            return c;
        }

        @Override
        public Collection onCollectionRead(Collection collection) {
            return (Collection) inner.onCollectionRead(collection);
        }

        @Override
        public void setElementSerializer(Serializer serializer) {
            inner.setElementSerializer(serializer);
        }

        @Override
        public void write(MemoryBuffer buffer, Object value) {
            inner.write(buffer, value);
        }

        @Override
        public Collection onCollectionWrite(MemoryBuffer buffer, Object value) {
            return inner.onCollectionWrite(buffer, value);
        }

        @Override
        public void onCollectionWriteFinish(Collection collection) {
            inner.onCollectionWriteFinish(collection);
        }

        @Override
        public Object copy(Object value) {
            return inner.copy(value);
        }
    }

    /** As {@link CheckedCollection}, for maps. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class CheckedMap extends MapSerializer {
        private final MapLikeSerializer inner;
        private final DecodeLimits limits;

        CheckedMap(Fory fory, MapLikeSerializer inner, DecodeLimits limits) {
            super(fory, inner.getType(), true, inner.isImmutable());
            this.inner = inner;
            this.limits = limits;
        }

        @Override
        public Object read(MemoryBuffer buffer) {
            limits.check(buffer, FIRST);
            return inner.read(buffer);
        }

        @Override
        public Map newMap(MemoryBuffer buffer) {
            limits.check(buffer, FIRST);
            Map m = inner.newMap(buffer);
            setNumElements(inner.getAndClearNumElements());
            return m;
        }

        @Override
        public Map onMapRead(Map map) {
            return (Map) inner.onMapRead(map);
        }

        @Override
        public void setKeySerializer(Serializer serializer) {
            inner.setKeySerializer(serializer);
        }

        @Override
        public void setValueSerializer(Serializer serializer) {
            inner.setValueSerializer(serializer);
        }

        @Override
        public void write(MemoryBuffer buffer, Object value) {
            inner.write(buffer, value);
        }

        @Override
        public Map onMapWrite(MemoryBuffer buffer, Object value) {
            return inner.onMapWrite(buffer, value);
        }

        @Override
        public void onMapWriteFinish(Map map) {
            inner.onMapWriteFinish(map);
        }

        @Override
        public Object copy(Object value) {
            return inner.copy(value);
        }
    }

    /** Arrays and big numbers: one size, then what it counts. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private static final class CheckedValue extends Serializer {
        private final Serializer inner;
        private final ToIntFunction<MemoryBuffer> sizeAt;
        private final DecodeLimits limits;

        CheckedValue(Fory fory, Serializer inner, ToIntFunction<MemoryBuffer> sizeAt, DecodeLimits limits) {
            super(fory, inner.getType(), inner.needToWriteRef(), inner.isImmutable());
            this.inner = inner;
            this.sizeAt = sizeAt;
            this.limits = limits;
        }

        @Override
        public Object read(MemoryBuffer buffer) {
            limits.check(buffer, sizeAt);
            return inner.read(buffer);
        }

        @Override
        public void write(MemoryBuffer buffer, Object value) {
            inner.write(buffer, value);
        }

        @Override
        public Object copy(Object value) {
            return inner.copy(value);
        }
    }

    /**
     * Compresses as Fory does, so a definition this node builds is the same bytes; inflates within a bound, and
     * fails on a truncated stream.
     */
    static final class BoundedMetaCompressor extends DeflaterMetaCompressor {
        @Override
        public byte[] decompress(byte[] input, int offset, int size) {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(input, offset, size);
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(4 * size, MAX_DEFINITION));
                byte[] chunk = new byte[4096];
                while (!inflater.finished()) {
                    int n = inflater.inflate(chunk);
                    if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw new ProtocolException("a compressed type definition ends early");
                    }
                    if (out.size() + n > MAX_DEFINITION) {
                        throw new ProtocolException("a type definition inflates past " + MAX_DEFINITION + " bytes");
                    }
                    out.write(chunk, 0, n);
                }
                return out.toByteArray();
            } catch (DataFormatException e) {
                throw new ProtocolException("a compressed type definition is not deflate: " + e.getMessage());
            } finally {
                inflater.end();
            }
        }
    }
}
