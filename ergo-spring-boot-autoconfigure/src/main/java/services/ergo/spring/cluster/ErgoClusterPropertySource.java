package services.ergo.spring.cluster;

import java.util.Map;
import org.springframework.core.env.EnumerablePropertySource;
import services.ergo.gen.Registrar;

/**
 * The cluster's configuration from the registrar (etcd: global, cluster-wide and per-node items, the most specific
 * winning) as a Spring property source, so {@code @Value} and {@code @ConfigurationProperties} see it. Values are
 * read live from the registrar's mirror; typed values ({@code int:20}) arrive typed.
 */
public final class ErgoClusterPropertySource extends EnumerablePropertySource<Registrar> {
    public static final String NAME = "ergoCluster";

    public ErgoClusterPropertySource(Registrar registrar) {
        super(NAME, registrar);
    }

    @Override
    public String[] getPropertyNames() {
        return getSource().configAll().keySet().toArray(String[]::new);
    }

    @Override
    public Object getProperty(String name) {
        Map<String, Object> one = getSource().config(name);
        return one.get(name);
    }
}
