package services.ergo.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.util.function.Supplier;
import services.ergo.gen.Registrar;
import services.ergo.registrar.EmbeddedRegistrar;

/**
 * The embedded registrar on a port of this test run's own, so test nodes never meet a registrar that something
 * else on the machine serves on 4499 (a demo cluster, another build).
 */
public final class TestRegistrar {
    private static final int PORT = freePort();

    private TestRegistrar() {}

    public static int port() {
        return PORT;
    }

    public static Supplier<Registrar> shared() {
        return () -> new EmbeddedRegistrar(EmbeddedRegistrar.Options.defaults().withPort(PORT));
    }

    /** A port free for TCP and UDP both, as the registrar binds both. */
    public static int freePort() {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                int port = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(port)) {
                    return port;
                } catch (IOException taken) {
                    // UDP side busy: try another
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("no free port for TCP and UDP");
    }
}
