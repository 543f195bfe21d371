package services.ergo.net;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * A message type's schema in 8 bytes: SHA-256 over its fields' names and types (a record's components in order;
 * a class's serialized fields by name). Two nodes with equal fingerprints for a type encode it the same way; with
 * different ones compatible mode still maps the fields by name, and the difference is worth a line in the log.
 */
final class TypeFingerprint {
    private TypeFingerprint() {}

    static long of(Class<?> type) {
        List<String> parts = new ArrayList<>();
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                parts.add(c.getName() + ":" + c.getGenericType().getTypeName());
            }
        } else if (type.isEnum()) {
            for (Object constant : type.getEnumConstants()) {
                parts.add(((Enum<?>) constant).name());
            }
        } else {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                        parts.add(c.getName() + "." + f.getName() + ":"
                                + f.getGenericType().getTypeName());
                    }
                }
            }
            parts.sort(null);
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(type.getName().getBytes(StandardCharsets.UTF_8));
            for (String p : parts) {
                sha.update((byte) 0);
                sha.update(p.getBytes(StandardCharsets.UTF_8));
            }
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
