package services.ergo.registrar.etcd;

/**
 * The seed's key layout, so that its {@code etcdctl put} lines work as they stand:
 *
 * <pre>
 * services/ergo/cluster/{cluster}/routes/nodes/{node}                 host:port                    (node's lease)
 * services/ergo/cluster/{cluster}/routes/applications/{app}/{node}    weight=…;mode=…;state=…      (node's lease)
 * services/ergo/cluster/{cluster}/routes/meta/{node}                  key=value;…  (ours, node's lease)
 * services/ergo/cluster/{cluster}/config/{node}/{item}                typed value
 * services/ergo/cluster/{cluster}/config/* /{item}                    typed value (cluster-wide)
 * services/ergo/config/global/{item}                                  typed value
 * </pre>
 */
final class EtcdKeys {
    static final String GLOBAL_CONFIG = "services/ergo/config/global/";

    final String cluster;
    final String clusterPrefix;
    final String nodes;
    final String applications;
    final String meta;
    final String config;

    EtcdKeys(String cluster) {
        this.cluster = cluster;
        this.clusterPrefix = "services/ergo/cluster/" + cluster + "/";
        this.nodes = clusterPrefix + "routes/nodes/";
        this.applications = clusterPrefix + "routes/applications/";
        this.meta = clusterPrefix + "routes/meta/";
        this.config = clusterPrefix + "config/";
    }

    String node(String node) {
        return nodes + node;
    }

    String meta(String node) {
        return meta + node;
    }

    String application(String app, String node) {
        return applications + app + "/" + node;
    }
}
