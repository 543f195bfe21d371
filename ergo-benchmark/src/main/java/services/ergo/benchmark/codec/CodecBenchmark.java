package services.ergo.benchmark.codec;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.fory.Fory;
import org.apache.fory.config.CompatibleMode;
import org.apache.fory.config.Language;
import org.apache.fory.memory.MemoryBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.smile.SmileMapper;

/**
 * The payload codec candidates on the messages a cluster sends: encode and decode time per message, and the size
 * each prints at setup ({@code SIZE codec message bytes}). Each codec is set up as the node would need it: Fory
 * with registration required and compatible mode (what {@code ForyCodec} uses) and, for comparison, in its
 * schema-consistent mode (no evolution), Kryo with registration required
 * (records through its record serializer), Jackson 3 Smile with records by name. Run with {@code scripts/bench
 * codecs}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class CodecBenchmark {

    /** A small message: what most actor traffic looks like. */
    public record Tick(long seq, int shard) {}

    /** A business message: strings, numbers, a list, a nested record. */
    public record Line(String sku, int quantity, double price) {}

    public record Order(long id, String customer, List<Line> lines, String note, boolean express) {}

    @Param({"fory", "fory-consistent", "fory-meta", "kryo", "smile"})
    public String codec;

    @Param({"tick", "order", "bytes1k"})
    public String message;

    private Object value;
    private Fory fory;
    private MemoryBuffer foryBuffer;
    private byte[] foryBytes;
    private Kryo kryo;
    private Output kryoOut;
    private byte[] kryoBytes;
    private ObjectMapper smile;
    private byte[] smileBytes;

    @Setup(Level.Trial)
    public void setUp() {
        value = switch (message) {
            case "tick" -> new Tick(123_456_789L, 7);
            case "order" -> order();
            case "bytes1k" -> new byte[1024];
            default -> throw new IllegalArgumentException(message);
        };
        fory = Fory.builder()
                .withLanguage(Language.JAVA)
                .requireClassRegistration(true)
                .withCompatibleMode(
                        codec.equals("fory-consistent") ? CompatibleMode.SCHEMA_CONSISTENT : CompatibleMode.COMPATIBLE)
                .withRefTracking(false)
                .withMetaShare(codec.equals("fory-meta"))
                .withScopedMetaShare(!codec.equals("fory-meta"))
                .build();
        for (Class<?> c : List.of(Tick.class, Line.class, Order.class)) {
            fory.register(c, c.getName());
        }
        foryBuffer = MemoryBuffer.newHeapBuffer(4096);
        kryo = new Kryo();
        kryo.setRegistrationRequired(true);
        kryo.register(Tick.class);
        kryo.register(Line.class);
        kryo.register(Order.class);
        kryo.register(ArrayList.class);
        kryo.register(byte[].class);
        kryoOut = new Output(4096, -1);
        smile = SmileMapper.builder().build();

        if (codec.equals("fory-meta")) {
            fory.getSerializationContext().setMetaContext(new org.apache.fory.resolver.MetaContext());
        }
        foryBuffer.writerIndex(0);
        fory.serialize(foryBuffer, value);
        foryBytes = foryBuffer.getBytes(0, foryBuffer.writerIndex());
        kryoOut.reset();
        kryo.writeClassAndObject(kryoOut, value);
        kryoBytes = kryoOut.toBytes();
        smileBytes = smile.writeValueAsBytes(value);
        int size = switch (codec) {
            case "fory", "fory-consistent", "fory-meta" -> foryBytes.length;
            case "kryo" -> kryoBytes.length;
            default -> smileBytes.length;
        };
        System.out.println("SIZE " + codec + " " + message + " " + size);
    }

    private static Order order() {
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lines.add(new Line("SKU-" + (1000 + i), i + 1, 9.99 * (i + 1)));
        }
        return new Order(42_000_001L, "customer-1842", lines, "leave at the door", true);
    }

    @Benchmark
    public Object encode() {
        switch (codec) {
            case "fory", "fory-consistent", "fory-meta" -> {
                if (codec.equals("fory-meta")) {
                    fory.getSerializationContext().setMetaContext(new org.apache.fory.resolver.MetaContext());
                }
                foryBuffer.writerIndex(0);
                fory.serialize(foryBuffer, value);
                return foryBuffer;
            }
            case "kryo" -> {
                kryoOut.reset();
                kryo.writeClassAndObject(kryoOut, value);
                return kryoOut;
            }
            default -> {
                // Smile has no class on the wire: the receiver names the type, as a node would from a type id
                return smile.writeValueAsBytes(value);
            }
        }
    }

    @Benchmark
    public Object decode() {
        return switch (codec) {
            case "fory", "fory-consistent", "fory-meta" -> {
                if (codec.equals("fory-meta")) {
                    fory.getSerializationContext().setMetaContext(new org.apache.fory.resolver.MetaContext());
                }
                yield fory.deserialize(MemoryBuffer.fromByteArray(foryBytes));
            }
            case "kryo" -> kryo.readClassAndObject(new Input(kryoBytes));
            default -> smile.readValue(smileBytes, value.getClass());
        };
    }
}
