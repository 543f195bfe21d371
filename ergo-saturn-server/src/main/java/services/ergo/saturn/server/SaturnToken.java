package services.ergo.saturn.server;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * One more token of a cluster, besides its own (the {@code clusters} map of {@link SaturnServerOptions}), that
 * may restrict the node names it can claim: hand the workers a token that registers {@code worker\d+@.*} only,
 * and a leaked worker token cannot register as the coordinator. A client names the token it holds by {@code id}
 * ({@code ergo.registrar.saturn.token-id}); the server proves that one, the client proves it back.
 *
 * <pre>{@code
 * SaturnServerOptions.defaults()
 *         .withClusters(Map.of("production", adminToken))
 *         .withToken(new SaturnToken("production", "workers", workerToken, "worker\\d+@.*"));
 * }</pre>
 *
 * @param cluster the cluster it is a token of
 * @param id its name, what the client sends to say which token it holds (not a secret)
 * @param secret the token itself, at least 16 characters
 * @param names a regular expression the whole node name must match; null: any name
 */
public record SaturnToken(
        String cluster, String id, String secret, @Nullable String names) {
    public SaturnToken {
        if (cluster == null || cluster.isEmpty()) {
            throw new IllegalArgumentException("a saturn token needs a cluster");
        }
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(
                    "a saturn token of cluster '" + cluster + "' needs an id (the cluster's own token has none)");
        }
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException(
                    "saturn token '" + id + "' of cluster '" + cluster + "' must have at least 16 characters");
        }
        if (names != null) {
            try {
                Pattern.compile(names);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("saturn token '" + id + "' of cluster '" + cluster
                        + "': names is not a regular expression: " + e.getDescription());
            }
        }
    }

    @Override
    public String toString() {
        // a token may end up in a log line: never its secret
        return "SaturnToken[cluster=" + cluster + ", id=" + id + ", names=" + names + "]";
    }

    @Nullable
    Pattern pattern() {
        return names == null ? null : Pattern.compile(names);
    }
}
