package services.ergo.spring.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.unit.DataSize;
import services.ergo.gen.NetworkOptions;
import services.ergo.gen.TlsOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Property;
import services.ergo.spring.lifecycle.RemoteAccess;

/** {@code ergo.network.*} onto {@link NetworkOptions} and {@link TlsOptions}, and who may start what here. */
final class NetworkOptionsMapper {
    private static final String PREFIX = "ergo.network.";
    private static final String TLS = PREFIX + "tls.";

    private NetworkOptionsMapper() {}

    /** Applies every property; what the core refuses goes to {@code problems}, and the default stays. */
    static NetworkOptions map(ErgoProperties.Network p, PropertyProblems problems) {
        NetworkOptions o = NetworkOptions.on()
                .withEnabled(p.isEnabled())
                .withHidden(p.isHidden())
                .withRemoteSpawn(p.getRemoteSpawn().isEnabled())
                .withRemoteApplicationStart(p.getRemoteApplicationStart().isEnabled());
        o = problems.apply(o, PREFIX + "host", p.getHost(), x -> x.withHost(p.getHost()));
        o = problems.apply(o, PREFIX + "port", p.getPort(), x -> x.withPort(p.getPort()));
        o = problems.apply(o, PREFIX + "port-range", p.getPortRange(), x -> x.withPortRange(p.getPortRange()));
        o = problems.apply(o, PREFIX + "pool-size", p.getPoolSize(), x -> x.withPoolSize(p.getPoolSize()));
        DataSize max = p.getMaxMessageSize();
        // the core's size is an int: that it fits is the starter's own rule
        boolean fits = max != null && max.toBytes() <= Integer.MAX_VALUE;
        problems.check(fits, PREFIX + "max-message-size", max, "Must be set, and at most 2GB.");
        if (fits) {
            o = problems.apply(o, PREFIX + "max-message-size", max, x -> x.withMaxMessageSize((int) max.toBytes()));
        }
        Duration handshake = p.getHandshakeTimeout();
        o = problems.apply(o, PREFIX + "handshake-timeout", handshake, x -> x.withHandshakeTimeout(handshake));
        Duration keepalive = p.getKeepaliveInterval();
        o = problems.apply(o, PREFIX + "keepalive-interval", keepalive, x -> x.withKeepaliveInterval(keepalive));
        o = problems.apply(
                o,
                PREFIX + "keepalive-misses",
                p.getKeepaliveMisses(),
                x -> x.withKeepaliveMisses(p.getKeepaliveMisses()));
        o = problems.apply(
                o,
                PREFIX + "max-pending-handshakes",
                p.getMaxPendingHandshakes(),
                x -> x.withMaxPendingHandshakes(p.getMaxPendingHandshakes()));
        o = problems.apply(
                o,
                PREFIX + "max-pending-handshakes-per-address",
                p.getMaxPendingHandshakesPerAddress(),
                x -> x.withMaxPendingHandshakesPerAddress(p.getMaxPendingHandshakesPerAddress()));
        DataSize outbox = p.getMaxOutbox();
        problems.check(outbox != null, PREFIX + "max-outbox", outbox, "Must be set.");
        if (outbox != null) {
            o = problems.apply(o, PREFIX + "max-outbox", outbox, x -> x.withMaxOutboxBytes(outbox.toBytes()));
        }
        return o.withTls(tls(p.getTls(), problems));
    }

    private static TlsOptions tls(ErgoProperties.Tls p, PropertyProblems problems) {
        ErgoProperties.TlsMode mode = p.getMode() == null ? ErgoProperties.TlsMode.OFF : p.getMode();
        if (mode == ErgoProperties.TlsMode.OFF) {
            return TlsOptions.off();
        }
        if (mode == ErgoProperties.TlsMode.SELF_SIGNED) {
            return TlsOptions.selfSigned();
        }
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("certificate-chain", p.getCertificateChain());
        files.put("private-key", p.getPrivateKey());
        files.put("trusted-certificates", p.getTrustedCertificates());
        files.forEach((key, file) ->
                problems.check(file == null || Files.isReadable(file), TLS + key, file, "No readable file there."));
        return problems.apply(
                TlsOptions.off(),
                x -> new TlsOptions(
                        TlsOptions.Mode.CERTIFICATES,
                        p.getCertificateChain(),
                        p.getPrivateKey(),
                        p.getTrustedCertificates()),
                new Property("certificateChain", TLS + "certificate-chain", p.getCertificateChain()),
                new Property("privateKey", TLS + "private-key", p.getPrivateKey()),
                new Property("trustedCertificates", TLS + "trusted-certificates", p.getTrustedCertificates()));
    }

    /** Which nodes may spawn which actors, and start which applications, here. */
    static RemoteAccess remoteAccess(ErgoProperties.Network p) {
        return new RemoteAccess(
                p.getRemoteSpawn().getAllowedNodes(),
                p.getRemoteApplicationStart().getAllowedNodes());
    }
}
