package services.ergo.gen;

import org.jspecify.annotations.Nullable;

/**
 * The answer to {@link Process#callAsync}, delivered to {@code handleMessage}: the call's reference and either
 * its value or its error.
 */
public record CallResult(
        Ref ref, @Nullable Object value, @Nullable ErgoException error) {
    public boolean isError() {
        return error != null;
    }
}
