package services.ergo.spring.autoconfigure;

import java.util.List;
import services.ergo.registrar.saturn.SaturnClientTls;
import services.ergo.registrar.saturn.SaturnRegistrarOptions;

/** {@code ergo.registrar.saturn.*} onto {@link SaturnRegistrarOptions}. */
final class SaturnRegistrarOptionsMapper {
    private static final String PREFIX = "ergo.registrar.saturn.";

    private SaturnRegistrarOptionsMapper() {}

    /** @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()}) */
    static SaturnRegistrarOptions map(ErgoSaturnRegistrarProperties p) {
        PropertyProblems problems = new PropertyProblems();
        SaturnRegistrarOptions o = map(p, problems);
        problems.throwIfAny();
        return o;
    }

    /** Applies every property; what is refused goes to {@code problems}, and the default stays. */
    static SaturnRegistrarOptions map(ErgoSaturnRegistrarProperties p, PropertyProblems problems) {
        SaturnRegistrarOptions o = SaturnRegistrarOptions.defaults();
        List<String> servers = p.getServers() == null ? List.of() : p.getServers();
        problems.check(!servers.isEmpty(), PREFIX + "servers", servers, "Name at least one Saturn server host:port.");
        o = problems.apply(o, PREFIX + "servers", servers, x -> x.withServers(servers));
        o = problems.apply(o, PREFIX + "cluster", p.getCluster(), x -> x.withCluster(p.getCluster()));
        problems.check(
                p.getToken() != null && !p.getToken().isEmpty(),
                PREFIX + "token",
                null, // never shown
                "Set the cluster's token (the same as the Saturn server's for this cluster).");
        if (p.getToken() != null) {
            o = o.withToken(p.getToken());
        }
        o = o.withTokenId(p.getTokenId());
        o = problems.apply(
                o,
                PREFIX + "register-timeout",
                p.getRegisterTimeout(),
                x -> x.withRegisterTimeout(p.getRegisterTimeout()));
        o = problems.apply(
                o,
                PREFIX + "backoff-min",
                p.getBackoffMin() + ".." + p.getBackoffMax(),
                x -> x.withBackoff(p.getBackoffMin(), p.getBackoffMax()));
        ErgoSaturnRegistrarProperties.Tls tls = p.getTls();
        problems.check(
                !(tls.isInsecureTrustAny() && tls.getTrustedCertificates() != null),
                PREFIX + "tls.insecure-trust-any",
                true,
                "Either trust the certificates in tls.trusted-certificates, or any (development): not both.");
        SaturnClientTls clientTls = !tls.isEnabled()
                ? SaturnClientTls.off()
                : tls.isInsecureTrustAny()
                        ? SaturnClientTls.insecureTrustAny()
                        : tls.getTrustedCertificates() != null
                                ? SaturnClientTls.trusting(tls.getTrustedCertificates())
                                : SaturnClientTls.verified();
        return o.withTls(clientTls);
    }
}
