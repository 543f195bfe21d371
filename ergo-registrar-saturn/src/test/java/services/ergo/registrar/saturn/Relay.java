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
    private final Object gate = new Object();
    /** While set, nothing is read from the server: its writes back up as they would to a client that stalls. */
    private boolean stalled;

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
                            pipe(in, out, false);
                            pipe(out, in, true);
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

    private void pipe(Socket from, Socket to, boolean towardsClient) {
        Thread t = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        byte[] buffer = new byte[8192];
                        while (true) {
                            if (towardsClient) {
                                awaitFlowing();
                            }
                            int n = in.read(buffer);
                            if (n < 0) {
                                break;
                            }
                            out.write(buffer, 0, n);
                        }
                    } catch (IOException | InterruptedException ended) {
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

    private void awaitFlowing() throws InterruptedException {
        synchronized (gate) {
            while (stalled) {
                gate.wait();
            }
        }
    }

    /** The client stops reading: the server's frames to it wait in the socket buffers until {@link #flow()}. */
    void stall() {
        synchronized (gate) {
            stalled = true;
        }
    }

    /** Reads from the server again, and passes on what waited. */
    void flow() {
        synchronized (gate) {
            stalled = false;
            gate.notifyAll();
        }
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
        flow();
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
