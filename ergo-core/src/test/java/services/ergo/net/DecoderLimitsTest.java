package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.apache.fory.Fory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A payload of a few bytes that declares a huge size, for every sized type a node decodes: the decoder must refuse
 * it without allocating what it declares. The payloads are real encodings with one size rewritten, found by
 * encoding sizes k and k+1 and taking the first byte where they differ. Before {@link DecodeLimits}, 16 of them
 * cost up to 4 GiB, and a primitive array decoded as gigabytes of zeros.
 */
class DecoderLimitsTest {
    /** The size of the security review: a varint Fory reads as 2^31 - 16. */
    private static final int HUGE = 0x7FFFFFF0;
    /** Big enough that allocating it shows (128 MiB as an Object[]), small enough to succeed if nothing stops it. */
    private static final int BIG = 1 << 25;
    /** What refusing may cost: an exception and its message, never the declared size. */
    private static final long AFFORDABLE = 4L << 20;

    record Blob(byte[] data) {}

    record Longs(long[] values) {}

    record Box(List<Long> xs) {}

    record Table(Map<String, Integer> cells) {}

    record Job(long id, String payload) {}

    /** Two values of k and k+1 elements whose encodings first differ in the one-byte size. */
    record Case(String name, int k, Object smaller, Object bigger) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("ArrayList", 1, new ArrayList<>(List.of(7)), new ArrayList<>(List.of(7, 7))),
                new Case("LinkedList", 1, new LinkedList<>(List.of(7)), new LinkedList<>(List.of(7, 7))),
                new Case("List.of (List12)", 1, List.of(7), List.of(7, 7)),
                new Case("List.of (ListN)", 3, List.of(1, 2, 3), List.of(1, 2, 3, 4)),
                new Case("Arrays.asList", 1, Arrays.asList(7), Arrays.asList(7, 7)),
                new Case("Vector", 1, new Vector<>(List.of(7)), new Vector<>(List.of(7, 7))),
                new Case("ArrayDeque", 1, new ArrayDeque<>(List.of(7)), new ArrayDeque<>(List.of(7, 7))),
                new Case(
                        "CopyOnWriteArrayList",
                        1,
                        new CopyOnWriteArrayList<>(List.of(7)),
                        new CopyOnWriteArrayList<>(List.of(7, 7))),
                new Case("HashSet", 1, new HashSet<>(List.of(7)), new HashSet<>(List.of(7, 8))),
                new Case("LinkedHashSet", 1, new LinkedHashSet<>(List.of(7)), new LinkedHashSet<>(List.of(7, 8))),
                new Case("TreeSet", 1, new TreeSet<>(List.of(7)), new TreeSet<>(List.of(7, 8))),
                new Case("Set.of (SetN)", 3, Set.of(1, 2, 3), Set.of(1, 2, 3, 4)),
                new Case("HashMap", 1, new HashMap<>(Map.of(7, 7)), new HashMap<>(Map.of(7, 7, 8, 8))),
                new Case(
                        "LinkedHashMap", 1, new LinkedHashMap<>(Map.of(7, 7)), new LinkedHashMap<>(Map.of(7, 7, 8, 8))),
                new Case("TreeMap", 1, new TreeMap<>(Map.of(7, 7)), new TreeMap<>(Map.of(7, 7, 8, 8))),
                new Case(
                        "ConcurrentHashMap",
                        1,
                        new ConcurrentHashMap<>(Map.of(7, 7)),
                        new ConcurrentHashMap<>(Map.of(7, 7, 8, 8))),
                new Case("Map.of (MapN)", 2, Map.of(1, 1, 2, 2), Map.of(1, 1, 2, 2, 3, 3)),
                new Case("String (latin1)", 1, "a", "aa"),
                new Case("String (utf16)", 1, "\u20ac", "\u20ac\u20ac"),
                new Case("boolean[]", 1, new boolean[] {true}, new boolean[] {true, true}),
                new Case("char[]", 1, new char[] {'a'}, new char[] {'a', 'a'}),
                new Case("short[]", 1, new short[] {7}, new short[] {7, 7}),
                new Case("int[]", 1, new int[] {7}, new int[] {7, 7}),
                new Case("long[]", 1, new long[] {7}, new long[] {7, 7}),
                new Case("float[]", 1, new float[] {7}, new float[] {7, 7}),
                new Case("double[]", 1, new double[] {7}, new double[] {7, 7}),
                new Case("byte[] in a record", 1, new Blob(new byte[] {7}), new Blob(new byte[] {7, 7})),
                new Case("long[] in a record", 1, new Longs(new long[] {7}), new Longs(new long[] {7, 7})),
                new Case("List in a record", 1, new Box(List.of(7L)), new Box(List.of(7L, 7L))),
                new Case(
                        "Map in a record",
                        2,
                        new Table(Map.of("a", 1, "b", 2)),
                        new Table(Map.of("a", 1, "b", 2, "c", 3))),
                new Case("Object[]", 1, new Object[] {7}, new Object[] {7, 7}),
                new Case("String[]", 1, new String[] {"a"}, new String[] {"a", "a"}),
                new Case("Integer[]", 1, new Integer[] {7}, new Integer[] {7, 7}),
                new Case("Job[] (a registered record)", 1, new Job[] {new Job(1, "a")}, new Job[] {
                    new Job(1, "a"), new Job(1, "a")
                }),
                new Case("BigInteger", 1, BigInteger.valueOf(7), BigInteger.valueOf(700)),
                new Case("BitSet", 1, BitSet.valueOf(new long[] {7}), BitSet.valueOf(new long[] {7, 7})));
    }

    private static ForyCodec codec() {
        ForyCodec codec = new ForyCodec();
        for (Class<?> c : new Class<?>[] {Blob.class, Longs.class, Box.class, Table.class, Job.class}) {
            codec.register(c);
        }
        return codec;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aHugeDeclaredSizeIsRefusedWithoutItsAllocation(Case c) {
        ForyCodec codec = codec();
        byte[] smaller = encode(codec, c.smaller);
        byte[] bigger = encode(codec, c.bigger);
        ForyCodec.Decoder decoder = codec.newDecoder();
        // the real encodings still decode through the limits
        assertThat(decode(decoder, smaller)).usingRecursiveComparison().isEqualTo(c.smaller);
        assertThat(decode(decoder, bigger)).usingRecursiveComparison().isEqualTo(c.bigger);
        for (int declared : new int[] {BIG, HUGE}) {
            byte[] lie = withSize(smaller, bigger, c.k, declared);
            assertRefusedCheaply(codec.newDecoder(), lie, c + " declaring " + declared);
        }
    }

    /**
     * Objects of registered types with no fields take no bytes at all in a same-type collection, so the bytes left
     * do not bound how many elements a collection can produce: the decoder counts every declared element of a
     * payload against its length. Here a 4 KB payload declares a thousand lists of a thousand objects each.
     */
    @Test
    void elementsThatTakeNoBytesCannotMultiplyAcrossNestedCollections() {
        ByteArrayOutputStream fory = new ByteArrayOutputStream();
        fory.writeBytes(new byte[] {0, 2, -1, -1, -1, -1, -1}); // Fory, no type definitions, not null
        int lists = 1000;
        fory.write(0x42); // an ArrayList ...
        writeVarint(fory, lists);
        fory.writeBytes(new byte[] {0x08, 0x42}); // ... of ArrayLists, each ...
        for (int i = 0; i < lists; i++) {
            writeVarint(fory, 1000);
            fory.writeBytes(new byte[] {0x08, 0x4a}); // ... of java.lang.Objects
        }
        byte[] payload = fory.toByteArray();
        byte[] one = encode(codec(), new ArrayList<>(List.of(new ArrayList<>(List.of(new Object())))));
        assertThat(Arrays.copyOfRange(payload, 0, 8)).isEqualTo(Arrays.copyOfRange(one, 0, 8));
        assertRefusedCheaply(codec().newDecoder(), payload, "nested lists of zero-byte elements");
    }

    @Test
    void aFlatListOfZeroByteElementsBeyondThePayloadIsRefused() {
        ForyCodec codec = codec();
        byte[] one = encode(codec, new ArrayList<>(List.of(new Object())));
        byte[] two = encode(codec, new ArrayList<>(List.of(new Object(), new Object())));
        assertRefusedCheaply(codec.newDecoder(), withSize(one, two, 1, 1 << 20), "a million Objects in 13 bytes");
    }

    /**
     * Generated code reads a record's collection, map and array fields through other calls than {@code read}; a
     * decoder that compiles before it decodes goes through them at once (the node's compiles in the background).
     */
    @Test
    void generatedCodeIsCheckedToo() {
        Fory sender = compilingNow(Fory.builder()).build();
        DecodeLimits limits = new DecodeLimits();
        Fory receiver = DecodeLimits.decoder(compilingNow(Fory.builder()), limits);
        for (Fory f : List.of(sender, receiver)) {
            for (Class<?> c : new Class<?>[] {Box.class, Table.class, Longs.class, Job.class}) {
                f.register(c, c.getName());
            }
        }
        List<Object[]> pairs = List.of(
                new Object[] {new Box(List.of(7L)), new Box(List.of(7L, 7L)), 1},
                new Object[] {new Table(Map.of("a", 1, "b", 2)), new Table(Map.of("a", 1, "b", 2, "c", 3)), 2},
                new Object[] {new Longs(new long[] {7}), new Longs(new long[] {7, 7}), 1});
        for (Object[] p : pairs) {
            // the codec's payloads are Fory's after one byte: the helpers expect that byte
            byte[] smaller = withKind(sender.serialize(p[0]));
            byte[] bigger = withKind(sender.serialize(p[1]));
            limits.start(smaller.length - 1);
            assertThat(receiver.deserialize(MemoryBuffer.fromByteArray(smaller, 1, smaller.length - 1)))
                    .usingRecursiveComparison()
                    .isEqualTo(p[0]);
            byte[] lie = withSize(smaller, bigger, (Integer) p[2], HUGE);
            limits.start(lie.length - 1);
            assertThatThrownBy(() -> receiver.deserialize(MemoryBuffer.fromByteArray(lie, 1, lie.length - 1)))
                    .rootCause()
                    .isInstanceOf(ProtocolException.class)
                    .hasMessageContaining("declared size of");
        }
    }

    private static org.apache.fory.config.ForyBuilder compilingNow(org.apache.fory.config.ForyBuilder b) {
        return b.withLanguage(Language.JAVA)
                .requireClassRegistration(true)
                .withCompatibleMode(CompatibleMode.COMPATIBLE)
                .withRefTracking(false)
                .withCodegen(true)
                .withAsyncCompilation(false);
    }

    private static byte[] withKind(byte[] fory) {
        byte[] payload = new byte[fory.length + 1];
        System.arraycopy(fory, 0, payload, 1, fory.length);
        return payload;
    }

    /**
     * Fory inflates a type definition that says it is compressed with no bound and until the inflater says it has
     * finished: a truncated stream never finishes, and its loop never ends. The decoder's definitions inflate
     * within a bound and fail on truncated input.
     */
    @Test
    void aTruncatedCompressedTypeDefinitionFailsInsteadOfSpinning() throws Exception {
        ByteArrayOutputStream fory = new ByteArrayOutputStream();
        fory.writeBytes(new byte[] {0, 2, 0, 0, 0, 0}); // Fory; the type definitions follow at once
        fory.write(1); // one definition
        long id = (0x5A5AL << 20) | (1 << 13) | 2; // a hash never seen, compressed, 2 bytes
        for (int i = 0; i < 8; i++) {
            fory.write((int) (id >>> (8 * i)));
        }
        fory.writeBytes(new byte[] {0x78, (byte) 0x9c}); // a zlib header and nothing more
        byte[] payload = fory.toByteArray();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                decode(codec().newDecoder(), payload);
            } catch (Throwable e) {
                outcome.set(e);
            }
        });
        t.setDaemon(true); // if it spins, it must not keep the test JVM alive
        t.start();
        t.join(10_000);
        assertThat(t.isAlive()).as("decoding a truncated definition returns").isFalse();
        assertThat(outcome.get()).isInstanceOf(ProtocolException.class);
    }

    /** L1: a compressed payload's buffer grows with what it inflates to, and no second copy is made. */
    @Test
    void aSmallCompressedFrameDeclaringMuchCostsWhatItInflatesTo() {
        int declared = 16 << 20;
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(declared);
        frame.writeBytes(deflate(new byte[100]));
        assertThat(frame.readableBytes()).isLessThan(24);
        ByteBufAllocator exact = new UnpooledByteBufAllocator(false); // allocates what is asked, no pool
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        long allocated = allocatedBy(() -> {
            try {
                PayloadCompression.inflate(frame, declared, exact).release();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        System.out.printf(
                "a compressed frame declaring %,d bytes: %s after allocating %,d bytes%n",
                declared, thrown.get(), allocated);
        assertThat(thrown.get()).isInstanceOf(ProtocolException.class).hasMessageContaining("does not inflate");
        assertThat(allocated).isLessThan(1 << 20);
    }

    @Test
    void compressedPayloadsOfEverySizeInflateWhole() {
        ByteBufAllocator exact = new UnpooledByteBufAllocator(false);
        java.util.Random random = new java.util.Random(7);
        for (int size : new int[] {2000, 65536, 65537, 300_000, 3 << 20}) {
            byte[] plain = new byte[size];
            for (int i = 0; i < size; i++) {
                plain[i] = (byte) ('a' + random.nextInt(4)); // compressible, not trivially
            }
            ByteBuf frame = Unpooled.buffer();
            frame.writeBytes(plain);
            assertThat(PayloadCompression.compress(frame, 0, services.ergo.gen.Compression.on()))
                    .isTrue();
            ByteBuf inflated = PayloadCompression.inflate(frame, 4 << 20, exact);
            try {
                assertThat(ByteBufUtil.getBytes(inflated)).isEqualTo(plain);
            } finally {
                inflated.release();
            }
            // one byte more or less than the data: refused
            for (int lie : new int[] {size - 1, size + 1}) {
                ByteBuf wrong = Unpooled.buffer();
                wrong.writeInt(lie);
                wrong.writeBytes(deflate(plain));
                assertThatThrownBy(() -> PayloadCompression.inflate(wrong, 4 << 20, exact))
                        .isInstanceOf(ProtocolException.class);
            }
        }
    }

    private static byte[] deflate(byte[] plain) {
        Deflater d = new Deflater(1, true);
        d.setInput(plain);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (!d.finished()) {
            out.write(chunk, 0, d.deflate(chunk));
        }
        d.end();
        return out.toByteArray();
    }

    private static long allocatedBy(Runnable r) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        r.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    private static void assertRefusedCheaply(ForyCodec.Decoder decoder, byte[] payload, String what) {
        AtomicReference<Throwable> caught = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        long allocated = allocatedBy(() -> {
            try {
                result.set(decode(decoder, payload));
            } catch (Throwable t) {
                caught.set(t);
            }
        });
        Throwable thrown = caught.get();
        Object decoded = result.get();
        String outcome = thrown == null
                ? "decoded a " + decoded.getClass().getName()
                : thrown.getClass().getSimpleName() + ": " + thrown.getMessage();
        System.out.printf("%s (%d bytes): %s after allocating %,d bytes%n", what, payload.length, outcome, allocated);
        if (!(thrown instanceof ProtocolException)) {
            fail(what + ": " + outcome + " (allocated " + allocated + " bytes)");
        }
        assertThat(allocated).as(what + " allocated").isLessThan(AFFORDABLE);
    }

    private static byte[] encode(ForyCodec codec, Object value) {
        ByteBuf b = Unpooled.buffer();
        codec.encode(value, b);
        byte[] bytes = new byte[b.readableBytes()];
        b.readBytes(bytes);
        return bytes;
    }

    private static Object decode(ForyCodec.Decoder decoder, byte[] payload) {
        return decoder.decode(Unpooled.wrappedBuffer(payload), payload.length);
    }

    /**
     * {@code smaller} with the size where it first differs from {@code bigger} rewritten to declare {@code n}
     * elements (fewer where the encoded size would pass 2^31: primitive arrays declare bytes).
     */
    private static byte[] withSize(byte[] smaller, byte[] bigger, int k, int n) {
        int at = 6; // past the kind, Fory's bitmap and the offset of the type definitions, which differ too
        while (smaller[at] == bigger[at]) {
            at++;
        }
        int v1 = smaller[at] & 0xff;
        int v2 = bigger[at] & 0xff;
        assertThat(v1).as("a one-byte size").isLessThan(0x80);
        assertThat(v2).isLessThan(0x80);
        long step = v2 - v1;
        long flags = v1 - step * k;
        long count = Math.min(n, (HUGE - flags) / step);
        ByteArrayOutputStream varint = new ByteArrayOutputStream();
        writeVarint(varint, flags + step * count);
        byte[] size = varint.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(smaller, 0, at);
        out.writeBytes(size);
        out.write(smaller, at + 1, smaller.length - at - 1);
        byte[] patched = out.toByteArray();
        // the type definitions at the end moved: their offset (after the kind byte and Fory's bitmap) follows
        int defs = readIntLE(patched, 2);
        if (defs != -1) {
            writeIntLE(patched, 2, defs + size.length - 1);
        }
        return patched;
    }

    private static void writeVarint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static int readIntLE(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    private static void writeIntLE(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
