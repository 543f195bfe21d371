package services.ergo.registrar.saturn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay a test cuts and restores on the same port, for a client's connection to a Saturn server that
 * itself restarts. Unlike the test kit's {@code TcpRelay} it listens below the ephemeral range (so that no
 * client's dial can take its port while it is cut) and it keeps accepting when a dial to the server fails
 * (the server may be down): that connection alone is closed.
 */
final class Relay implements AutoCloseable {
    private final int port = SaturnRegistrarTest.lowFreePort();
    private final int target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;
    private volatile Thread acceptor;

    private Relay(int target) throws IOException {
        this.target = target;
        restore();
    }

    static Relay to(int target) throws IOException {
        return new Relay(target);
    }

    int port() {
        return port;
    }

    synchronized void restore() throws IOException {
        if (listener != null && !listener.isClosed()) {
            return;
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        listener = s;
        Thread t = new Thread(
                () -> {
                    while (!s.isClosed()) {
                        Socket in;
                        try {
                            in = s.accept();
                        } catch (IOException closed) {
                            return;
                        }
                        try {
                            Socket out = new Socket(InetAddress.getLoopbackAddress(), target);
                            sockets.add(in);
                            sockets.add(out);
                            pipe(in, out);
                            pipe(out, in);
                        } catch (IOException serverDown) {
                            close(in);
                        }
                    }
                },
                "relay-" + port);
        t.setDaemon(true);
        t.start();
        acceptor = t;
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException ended) {
                        // cut, or the other side closed
                    } finally {
                        close(from);
                        close(to);
                    }
                },
                "relay-pipe-" + port);
        t.setDaemon(true);
        t.start();
    }

    /** Closes every connection through the relay and refuses new ones until {@link #restore()}. */
    synchronized void cut() {
        ServerSocket s = listener;
        if (s != null) {
            close(s);
        }
        // a listener closed while its thread is in accept() lets go of the port only once that thread is out
        Thread t = acceptor;
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sockets.forEach(Relay::close);
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
            // closing
        }
    }
}
