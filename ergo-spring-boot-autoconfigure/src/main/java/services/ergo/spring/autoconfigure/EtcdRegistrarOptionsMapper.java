package services.ergo.spring.autoconfigure;

import java.util.List;
import services.ergo.registrar.etcd.EtcdRegistrarOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Property;

/** {@code ergo.registrar.etcd.*} onto {@link EtcdRegistrarOptions}. */
final class EtcdRegistrarOptionsMapper {
    private static final String PREFIX = "ergo.registrar.etcd.";

    private EtcdRegistrarOptionsMapper() {}

    /** @throws RuntimeException listing every property refused ({@link PropertyProblems#throwIfAny()}) */
    static EtcdRegistrarOptions map(ErgoEtcdRegistrarProperties p) {
        PropertyProblems problems = new PropertyProblems();
        EtcdRegistrarOptions o = map(p, problems);
        problems.throwIfAny();
        return o;
    }

    /** Applies every property; what is refused goes to {@code problems}, and the default stays. */
    static EtcdRegistrarOptions map(ErgoEtcdRegistrarProperties p, PropertyProblems problems) {
        EtcdRegistrarOptions o = EtcdRegistrarOptions.defaults();
        List<String> endpoints = p.getEndpoints() == null ? List.of() : p.getEndpoints();
        for (String endpoint : endpoints) {
            // jetcd would take "localhost:2379" as a target name and fail at the first request, far from here
            problems.check(
                    endpoint.startsWith("http://") || endpoint.startsWith("https://"),
                    PREFIX + "endpoints",
                    endpoint,
                    "An etcd client URL starts with http:// or https://.");
        }
        o = problems.apply(o, PREFIX + "endpoints", endpoints, x -> x.withEndpoints(endpoints.toArray(String[]::new)));
        o = problems.apply(o, PREFIX + "cluster", p.getCluster(), x -> x.withCluster(p.getCluster()));
        o = problems.apply(o, PREFIX + "lease-ttl", p.getLeaseTtl(), x -> x.withLeaseTtl(p.getLeaseTtl()));
        o = problems.apply(
                o, PREFIX + "request-timeout", p.getRequestTimeout(), x -> x.withRequestTimeout(p.getRequestTimeout()));
        if (p.getUsername() != null || p.getPassword() != null) {
            o = problems.apply(
                    o,
                    x -> x.withCredentials(p.getUsername(), p.getPassword()),
                    new Property("user", PREFIX + "username", p.getUsername()),
                    new Property("password", PREFIX + "password", null)); // never shown
        }
        if (p.getTrustedCertificates() != null) {
            o = o.withTrustedCertificates(p.getTrustedCertificates());
        }
        return o;
    }
}
