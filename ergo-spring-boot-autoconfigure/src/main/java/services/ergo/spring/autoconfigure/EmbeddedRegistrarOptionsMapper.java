package services.ergo.spring.autoconfigure;

import services.ergo.registrar.EmbeddedRegistrar;

/** {@code ergo.registrar.embedded.*} onto {@link EmbeddedRegistrar.Options}. */
final class EmbeddedRegistrarOptionsMapper {
    private static final String PREFIX = "ergo.registrar.embedded.";

    private EmbeddedRegistrarOptionsMapper() {}

    /** @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()}) */
    static EmbeddedRegistrar.Options map(ErgoProperties.Embedded p) {
        PropertyProblems problems = new PropertyProblems();
        EmbeddedRegistrar.Options o = map(p, problems);
        problems.throwIfAny();
        return o;
    }

    /** Applies every property; what the core refuses goes to {@code problems}, and the default stays. */
    static EmbeddedRegistrar.Options map(ErgoProperties.Embedded p, PropertyProblems problems) {
        EmbeddedRegistrar.Options o = EmbeddedRegistrar.Options.defaults();
        o = problems.apply(o, PREFIX + "port", p.getPort(), x -> x.withPort(p.getPort()));
        // one address for registration and resolution, so that several "hosts" can share a machine on loopback
        o = problems.apply(o, PREFIX + "host", p.getHost(), x -> x.withAddress(p.getHost()));
        o = problems.apply(
                o, PREFIX + "resolve-timeout", p.getResolveTimeout(), x -> x.withResolveTimeout(p.getResolveTimeout()));
        o = problems.apply(
                o, PREFIX + "retry-interval", p.getRetryInterval(), x -> x.withRetryInterval(p.getRetryInterval()));
        o = o.withLegacyResolve(p.isLegacyResolve());
        return o;
    }
}
