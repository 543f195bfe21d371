package services.ergo.spring.autoconfigure;

import services.ergo.micrometer.ErgoMetrics;

/** {@code ergo.metrics.*} onto {@link ErgoMetrics.Options}. */
final class MetricsOptionsMapper {
    private static final String PREFIX = "ergo.metrics.";

    private MetricsOptionsMapper() {}

    /** @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()}) */
    static ErgoMetrics.Options map(ErgoMetricsProperties p) {
        PropertyProblems problems = new PropertyProblems();
        ErgoMetrics.Options o = map(p, problems);
        problems.throwIfAny();
        return o;
    }

    /** Applies every property; what {@link ErgoMetrics.Options} refuses goes to {@code problems}, and the default stays. */
    static ErgoMetrics.Options map(ErgoMetricsProperties p, PropertyProblems problems) {
        ErgoMetrics.Options o = ErgoMetrics.Options.defaults();
        o = problems.apply(
                o, PREFIX + "top-mailboxes", p.getTopMailboxes(), x -> x.withTopMailboxes(p.getTopMailboxes()));
        o = problems.apply(
                o,
                PREFIX + "refresh-interval",
                p.getRefreshInterval(),
                x -> x.withRefreshInterval(p.getRefreshInterval()));
        return o;
    }
}
