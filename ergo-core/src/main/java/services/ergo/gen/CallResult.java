package services.ergo.gen;

/**
 * The answer to {@link Process#callAsync}, delivered to {@code handleMessage}: the call's reference and either
 * its value or its error.
 */
public record CallResult(Ref ref, Object value, ErgoException error) {
    public boolean isError() {
        return error != null;
    }
}
