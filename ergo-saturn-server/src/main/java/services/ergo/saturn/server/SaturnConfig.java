package services.ergo.saturn.server;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a {@code saturn.yaml} says, parsed and validated ({@link SaturnConfigFile#load}): the clusters with their
 * tokens and configuration, and the configuration of every cluster. Immutable; two loads of files that say the
 * same compare equal, so a reload that changes nothing is seen as such. {@link SaturnServer#apply} puts one in
 * force.
 *
 * <pre>{@code
 * SaturnConfig config = SaturnConfigFile.load(Path.of("/etc/saturn/saturn.yaml"), Limits.defaults());
 * server.apply(config);
 * }</pre>
 *
 * @param clusters the clusters by name
 * @param global items for every node of every cluster of the server, by item, as wire values ({@code int:20})
 * @param files the files the configuration was read from besides the file itself ({@code .file} items, token
 *     files): a change of one of them is a change of the configuration too
 */
public record SaturnConfig(Map<String, Cluster> clusters, Map<String, String> global, Set<Path> files) {
    public SaturnConfig {
        clusters = Collections.unmodifiableMap(new TreeMap<>(clusters));
        global = Collections.unmodifiableMap(new TreeMap<>(global));
        files = Set.copyOf(files);
    }

    /** No cluster, no configuration: what a server without a file holds. */
    public static SaturnConfig empty() {
        return new SaturnConfig(Map.of(), Map.of(), Set.of());
    }

    /**
     * One cluster of the file.
     *
     * @param name its name, what clients send
     * @param token its own token (any node name); null when it has only named tokens
     * @param tokens its named tokens, each perhaps restricted to some node names
     * @param config its items by scope ({@code "*"}: every node of the cluster; a node's full or short name), then
     *     by item, as wire values
     */
    public record Cluster(
            String name, @Nullable String token, List<SaturnToken> tokens, Map<String, Map<String, String>> config) {
        public Cluster {
            tokens = List.copyOf(tokens);
            TreeMap<String, Map<String, String>> copy = new TreeMap<>();
            config.forEach((scope, items) -> copy.put(scope, Collections.unmodifiableMap(new TreeMap<>(items))));
            config = Collections.unmodifiableMap(copy);
        }

        @Override
        public String toString() {
            // the token is a secret: a model may be logged
            return "Cluster[" + name + ", tokens "
                    + tokens.stream().map(SaturnToken::id).toList() + ", scopes " + config.keySet() + "]";
        }
    }

    /**
     * Every item that applies in {@code cluster}, keyed {@code scope + '\0' + item} with the wire scope ({@code ""}
     * for the global items): the set a server holds for it from this file.
     */
    Map<String, String> items(String cluster) {
        TreeMap<String, String> out = new TreeMap<>();
        global.forEach((item, value) -> out.put("" + '\0' + item, value));
        Cluster c = clusters.get(cluster);
        if (c != null) {
            c.config.forEach((scope, items) -> items.forEach((item, value) -> out.put(scope + '\0' + item, value)));
        }
        return out;
    }
}
