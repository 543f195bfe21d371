package services.ergo.saturn.server;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import services.ergo.saturn.protocol.Limits;

/**
 * Reads a {@code saturn.yaml} into a {@link SaturnConfig}, or fails naming the file, the key and the problem. The
 * format is in {@code docs/saturn.md} ("saturn.yaml"); in short:
 *
 * <pre>{@code
 * clusters:
 *   production:
 *     token: ${SATURN_TOKEN}            # or token-file: /run/secrets/production
 *     tokens:
 *       - id: workers
 *         secret-file: /run/secrets/workers
 *         names: "worker\\d+@.*"
 *     config:
 *       db.pool_size: 20                # int:20
 *       tls.ca.file: /etc/ergo/ca.pem   # the file's text
 *     nodes:
 *       worker1@host1:
 *         db.pool_size: 50
 * config:
 *   log.level: info                     # every cluster of this server
 * }</pre>
 *
 * <pre>{@code
 * SaturnConfig config = SaturnConfigFile.load(Path.of("saturn.yaml"), Limits.defaults());
 * }</pre>
 */
public final class SaturnConfigFile {
    /** A saturn.yaml is a few pages; one larger than this is a mistake (a wrong path), not a configuration. */
    static final long MAX_FILE_BYTES = 4 << 20;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_.]*)}");

    private final Path file;
    private final Limits limits;
    private final Function<String, @Nullable String> env;
    private final Set<Path> files = new LinkedHashSet<>();

    private SaturnConfigFile(Path file, Limits limits, Function<String, @Nullable String> env) {
        this.file = file;
        this.limits = limits;
        this.env = env;
    }

    /**
     * Reads {@code file}; {@code ${NAME}} in a token or secret is taken from the environment.
     *
     * @param limits the wire's bounds: a value must fit in a string ({@code maxStringBytes}), a cluster's whole
     *     configuration in a snapshot's first frame (half of {@code maxFrameBytes})
     * @throws IllegalArgumentException naming the file, the key and the problem
     */
    public static SaturnConfig load(Path file, Limits limits) {
        return load(file, limits, System::getenv);
    }

    /** As {@link #load(Path, Limits)}, with placeholders taken from {@code env}. */
    public static SaturnConfig load(Path file, Limits limits, Function<String, @Nullable String> env) {
        return new SaturnConfigFile(file, limits, env).read();
    }

    private SaturnConfig read() {
        Object root;
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw fail("", "the file has " + size + " bytes, more than " + MAX_FILE_BYTES);
            }
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(64);
            options.setAllowRecursiveKeys(false);
            root = new Yaml(new SafeConstructor(options)).load(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw fail("", "cannot read it: " + e);
        } catch (YAMLException e) {
            throw fail("", "not valid YAML: " + e.getMessage().replace('\n', ' '));
        }
        if (root == null) {
            return SaturnConfig.empty();
        }
        Map<String, Object> top = map(root, "");
        known(top, "", "clusters", "config");
        Map<String, SaturnConfig.Cluster> clusters = new TreeMap<>();
        if (top.get("clusters") != null) {
            map(top.get("clusters"), "clusters").forEach((name, body) -> {
                String path = "clusters." + name;
                if (name.isBlank() || !name.strip().equals(name) || name.indexOf('\0') >= 0) {
                    throw fail(path, "a cluster name must be non-empty, without surrounding spaces");
                }
                clusters.put(name, cluster(name, body == null ? Map.of() : map(body, path), path));
            });
        }
        Map<String, String> global = new TreeMap<>();
        if (top.get("config") != null) {
            items(map(top.get("config"), "config"), "config", "", global);
        }
        long total = global.values().stream().mapToLong(SaturnConfigFile::utf8).sum();
        for (SaturnConfig.Cluster c : clusters.values()) {
            long own = c.config().values().stream()
                    .flatMap(m -> m.values().stream())
                    .mapToLong(SaturnConfigFile::utf8)
                    .sum();
            if (total + own > limits.maxFrameBytes() / 2) {
                throw fail(
                        "clusters." + c.name(),
                        "its configuration (with the global items) has " + (total + own)
                                + " bytes, more than half a frame (max-frame-bytes " + limits.maxFrameBytes()
                                + "): a snapshot's first frame carries it whole");
            }
        }
        return new SaturnConfig(clusters, global, files);
    }

    private SaturnConfig.Cluster cluster(String name, Map<String, Object> body, String path) {
        known(body, path, "token", "token-file", "tokens", "config", "nodes");
        String token = secret(body, "token", path);
        List<SaturnToken> tokens = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        if (body.get("tokens") != null) {
            if (!(body.get("tokens") instanceof List<?> list)) {
                throw fail(path + ".tokens", "must be a list of tokens (- id: ..., secret: ...)");
            }
            for (int i = 0; i < list.size(); i++) {
                String at = path + ".tokens[" + i + "]";
                Map<String, Object> t = map(list.get(i), at);
                known(t, at, "id", "secret", "secret-file", "names");
                String id = string(t.get("id"), at + ".id");
                String secret = secret(t, "secret", at);
                if (secret == null) {
                    throw fail(at, "needs a secret (secret or secret-file)");
                }
                Object names = t.get("names");
                if (names != null && !(names instanceof String)) {
                    throw fail(at + ".names", "must be a regular expression, as a string");
                }
                if (!ids.add(id)) {
                    throw fail(at + ".id", "token '" + id + "' is named twice");
                }
                try {
                    tokens.add(new SaturnToken(name, id, secret, (String) names));
                } catch (IllegalArgumentException e) {
                    throw fail(at, e.getMessage());
                }
            }
        }
        if (token == null && tokens.isEmpty()) {
            throw fail(path, "needs a token (token, token-file) or named tokens");
        }
        Map<String, Map<String, String>> config = new TreeMap<>();
        if (body.get("config") != null) {
            Map<String, String> star = new TreeMap<>();
            items(map(body.get("config"), path + ".config"), path + ".config", "", star);
            config.put("*", star);
        }
        if (body.get("nodes") != null) {
            map(body.get("nodes"), path + ".nodes").forEach((node, items) -> {
                String at = path + ".nodes." + node;
                if (node.isBlank() || node.equals("*") || !node.strip().equals(node)) {
                    throw fail(at, "a node scope is a node's full or short name (use config: for every node)");
                }
                Map<String, String> own = new TreeMap<>();
                if (items != null) {
                    items(map(items, at), at, "", own);
                }
                config.put(node, own);
            });
        }
        return new SaturnConfig.Cluster(name, token, tokens, config);
    }

    /** {@code key} or {@code key-file} of {@code body}: a secret of at least 16 characters, never shown. */
    private @Nullable String secret(Map<String, Object> body, String key, String path) {
        Object inline = body.get(key);
        Object fromFile = body.get(key + "-file");
        if (inline != null && fromFile != null) {
            throw fail(path, "has both " + key + " and " + key + "-file; keep one");
        }
        String secret;
        if (inline != null) {
            secret = placeholders(string(inline, path + "." + key), path + "." + key);
        } else if (fromFile != null) {
            Path p = resolve(string(fromFile, path + "." + key + "-file"));
            secret = text(p, path + "." + key + "-file", 64 * 1024).strip();
        } else {
            return null;
        }
        if (secret.length() < 16) {
            throw fail(path + "." + (inline != null ? key : key + "-file"), "a token must have at least 16 characters");
        }
        return secret;
    }

    private String placeholders(String value, String path) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.apply(m.group(1));
            if (v == null) {
                throw fail(path, "environment variable " + m.group(1) + " is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Flattens {@code map} (nested maps join their keys with '.') into {@code out} as wire values. */
    private void items(Map<String, Object> map, String path, String prefix, Map<String, String> out) {
        map.forEach((key, value) -> {
            String item = prefix + key;
            String at = path + "." + key;
            if (key.isBlank() || !key.strip().equals(key)) {
                throw fail(at, "an item name must be non-empty, without surrounding spaces");
            }
            if (value instanceof Map<?, ?>) {
                items(map(value, at), at, item + ".", out);
                return;
            }
            String wire = value(item, value, at);
            if (utf8(wire) > limits.maxStringBytes()) {
                throw fail(
                        at,
                        "the value has " + utf8(wire) + " bytes, more than max-string-bytes (" + limits.maxStringBytes()
                                + "), the bound of a string on the wire (on the server and on every client)");
            }
            if (out.size() >= limits.maxItems()) {
                throw fail(at, "more than max-items (" + limits.maxItems() + ") items");
            }
            out.put(item, wire);
        });
    }

    /** A YAML scalar as the wire's typed string: the prefixes the registrar reads ({@code int:}, ...). */
    private String value(String item, @Nullable Object value, String path) {
        if (value == null) {
            throw fail(path, "has no value (leave an item out to remove it)");
        }
        if (item.endsWith(".file")) {
            if (!(value instanceof String name)) {
                throw fail(path, "a .file item names a file");
            }
            Path p = resolve(name);
            // "string:" so that a file whose text starts with "int:" still arrives as text
            return "string:" + text(p, path, limits.maxStringBytes());
        }
        if (value instanceof Boolean b) {
            return "bool:" + b;
        }
        if (value instanceof Integer || value instanceof Long) {
            return "int:" + value;
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 63) {
                throw fail(path, big + " does not fit in a 64-bit int");
            }
            return "int:" + big;
        }
        if (value instanceof Double || value instanceof Float) {
            return "float:" + value;
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof List<?>) {
            throw fail(path, "a value is a scalar (a number, true/false or a string), not a list");
        }
        throw fail(path, "a " + value.getClass().getSimpleName() + " is not a config value; quote it for a string");
    }

    private Path resolve(String name) {
        Path p = Path.of(name);
        Path dir = file.toAbsolutePath().getParent();
        return p.isAbsolute() || dir == null ? p : dir.resolve(p);
    }

    /** A file's text, UTF-8, at most {@code max} bytes; remembered, so its change is a change of the config. */
    private String text(Path p, String path, int max) {
        files.add(p.toAbsolutePath().normalize());
        try {
            long size = Files.size(p);
            if (size > max) {
                throw fail(path, p + " has " + size + " bytes, more than " + max);
            }
            byte[] bytes = Files.readAllBytes(p);
            if (bytes.length > max) {
                throw fail(path, p + " has " + bytes.length + " bytes, more than " + max);
            }
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw fail(path, p + " is not UTF-8 text (a config value is a string)");
        } catch (IOException e) {
            throw fail(path, "cannot read " + p + ": " + e);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> map(@Nullable Object value, String path) {
        if (!(value instanceof Map<?, ?> m)) {
            throw fail(path, "must be a map (key: value), got " + (value == null ? "nothing" : describe(value)));
        }
        for (Object key : m.keySet()) {
            if (!(key instanceof String)) {
                throw fail(path, "key " + key + " must be a string (quote it)");
            }
        }
        return (Map<String, Object>) m;
    }

    private String string(@Nullable Object value, String path) {
        if (!(value instanceof String s) || s.isEmpty()) {
            throw fail(path, "must be a non-empty string");
        }
        return s;
    }

    private void known(Map<String, Object> map, String path, String... keys) {
        for (String key : map.keySet()) {
            if (!List.of(keys).contains(key)) {
                throw fail(
                        path.isEmpty() ? key : path + "." + key,
                        "unknown key (known here: " + String.join(", ", keys) + ")");
            }
        }
    }

    private static String describe(Object value) {
        // the type only: a misplaced value may be a secret
        return value instanceof List<?>
                ? "a list"
                : value instanceof String
                        ? "a string"
                        : "a " + value.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    private static long utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private IllegalArgumentException fail(String path, String problem) {
        return new IllegalArgumentException(
                "saturn config " + file + (path.isEmpty() ? "" : " at " + path) + ": " + problem);
    }
}
