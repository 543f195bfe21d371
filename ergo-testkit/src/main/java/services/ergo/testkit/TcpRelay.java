package services.ergo.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback that a test can cut and restore, on the same port: put it between two nodes (a static
 * route to {@link #port()}) or between a node and etcd, and {@link #cut()} makes a partition, connections closed
 * and new ones refused, until {@link #restore()}; {@link #freeze()} holds every byte on open connections instead.
 *
 * <pre>{@code
 * try (TcpRelay toB = TcpRelay.to(b.network().acceptor().port())) {
 *     a.network().addRoute(b.name(), new NetworkRoute("localhost", toB.port()));
 *     toB.cut();      // a cannot reach b
 *     toB.restore();  // healed
 * }
 * }</pre>
 */
public final class TcpRelay implements AutoCloseable {
    private final int port;
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean frozen;

    private TcpRelay(int target) throws IOException {
        this.port = EtcdServer.freePort();
        this.target = target;
        restore();
    }

    /** A relay to {@code target} on loopback, open. */
    public static TcpRelay to(int target) throws IOException {
        return new TcpRelay(target);
    }

    public int port() {
        return port;
    }

    /** Accepts again on the same port. */
    public synchronized void restore() throws IOException {
        if (server != null && !server.isClosed()) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server = s;
        Thread t = new Thread(
                () -> {
                    while (!s.isClosed()) {
                        try {
                            Socket in = s.accept();
                            Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                            sockets.add(in);
                            sockets.add(out);
                            pipe(in, out);
                            pipe(out, in);
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "tcp-relay-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            while (frozen) {
                                synchronized (this) {
                                    wait(10); // holding the bytes: the far side hears nothing, the link stays up
                                }
                            }
                            out.write(buffer, 0, n);
                        }
                    } catch (IOException | InterruptedException ended) {
                        // cut
                    } finally {
                        close(from);
                        close(to);
                    }
                },
                "tcp-relay-pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Stops passing bytes either way while keeping every connection open: a peer that hangs, or a network that
     * drops everything without a reset. {@link #thaw()} passes what was held.
     */
    public void freeze() {
        frozen = true;
    }

    public synchronized void thaw() {
        frozen = false;
        notifyAll();
    }

    /** Closes every connection through the relay and refuses new ones. */
    public synchronized void cut() {
        frozen = false;
        notifyAll();
        ServerSocket s = server;
        if (s != null) {
            close(s);
        }
        sockets.forEach(TcpRelay::close);
        sockets.clear();
    }

    @Override
    public void close() {
        cut();
    }

    private static void close(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
