package services.ergo.spring.test;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import services.ergo.saturn.server.SaturnServer;
import services.ergo.saturn.server.SaturnServerOptions;

/**
 * A Saturn server of a test context's own, in this JVM: plain TCP on a free loopback port, one cluster with a fresh
 * random token. Nothing outside the test knows the token, so no other process joins its cluster.
 */
final class PrivateSaturn {
    private static final Set<String> ADDRESSES = ConcurrentHashMap.newKeySet();

    private PrivateSaturn() {}

    /** The server and the token its cluster was given. */
    record Started(SaturnServer server, String token) {}

    static Started start(String cluster) {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        SaturnServer server = SaturnServer.start(
                SaturnServerOptions.defaults().withHost("127.0.0.1").withPort(0).withClusters(Map.of(cluster, token)));
        ADDRESSES.add(server.address());
        return new Started(server, token);
    }

    /** Whether {@code servers} are all private servers of this JVM's test contexts. */
    static boolean isPrivate(List<String> servers) {
        return !servers.isEmpty() && ADDRESSES.containsAll(servers);
    }
}
