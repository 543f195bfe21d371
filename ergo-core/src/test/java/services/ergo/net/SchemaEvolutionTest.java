package services.ergo.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling or canary deployment runs two versions of a message side by side. The same record, compiled twice
 * (version 1, and version 2 with a field added and one removed), in two class loaders as on two nodes: what one
 * encodes, the other decodes.
 */
class SchemaEvolutionTest {
    private static final String V1 = "package evo; public record JobMessage(long id, String payload, int retries) {}";
    private static final String V2 = "package evo; public record JobMessage(long id, String payload, String owner) {}";

    @TempDir
    Path dir;

    private Class<?> compile(String name, String source) throws IOException {
        Path src = dir.resolve(name).resolve("evo/JobMessage.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(
                null, null, null, "--release", "17", "-d", dir.resolve(name).toString(), src.toString());
        assertThat(rc).as("javac of " + name).isZero();
        URLClassLoader loader = new URLClassLoader(
                new URL[] {dir.resolve(name).toUri().toURL()}, getClass().getClassLoader());
        try {
            return loader.loadClass("evo.JobMessage");
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    private static Object make(Class<?> type, Object... values) throws Exception {
        Class<?>[] types = java.util.Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        return type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Map<String, Object> fields(Object record) throws Exception {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            out.put(c.getName(), c.getAccessor().invoke(record));
        }
        return out;
    }

    private static Object roundTrip(Object value, Class<?> from, Class<?> to) {
        ForyCodec sender = codecFor(from);
        ForyCodec receiver = codecFor(to);
        ByteBuf buf = Unpooled.buffer();
        sender.encode(value, buf);
        return receiver.decode(buf, buf.readableBytes());
    }

    private static ForyCodec codecFor(Class<?> type) {
        ForyCodec codec = new ForyCodec(type.getClassLoader());
        codec.register(type);
        return codec;
    }

    @Test
    void aRecordThatGainedAndLostFieldsDecodesOnTheOtherVersion() throws Exception {
        Class<?> v1 = compile("v1", V1);
        Class<?> v2 = compile("v2", V2);

        Object fromOld = roundTrip(make(v1, 7L, "resize image", 3), v1, v2);
        assertThat(fromOld.getClass()).isSameAs(v2);
        assertThat(fields(fromOld)).containsEntry("id", 7L).containsEntry("payload", "resize image");
        assertThat(fields(fromOld).get("owner")).isNull(); // the new field takes its default

        Object fromNew = roundTrip(make(v2, 8L, "send mail", "canary"), v2, v1);
        assertThat(fromNew.getClass()).isSameAs(v1);
        assertThat(fields(fromNew))
                .containsEntry("id", 8L)
                .containsEntry("payload", "send mail")
                .containsEntry("retries", 0);
        assertThat(List.of(fromOld, fromNew)).hasSize(2);
    }
}
