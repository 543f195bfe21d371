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
    /** The client's HTTP/2 request whose answer (and every answer after it) is lost; 0 for none. */
    private volatile int loseFrom;
    /** HTTP/2 requests the client began, over all connections, since {@link #loseAnswersFrom}. */
    private final java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
    /** Whether answers are being held now (a request at or past {@link #loseFrom} went out). */
    private volatile boolean holdingAnswers;

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
                            Socket out;
                            try {
                                out = new Socket(InetAddress.getLoopbackAddress(), target);
                            } catch (IOException targetDown) {
                                close(in); // the target is down (an etcd restarting): refuse this one, not the next
                                continue;
                            }
                            synchronized (TcpRelay.this) {
                                if (s.isClosed()) {
                                    // cut while this one was being accepted: it must not outlive the cut
                                    close(in);
                                    close(out);
                                    return;
                                }
                                sockets.add(in);
                                sockets.add(out);
                            }
                            pipe(in, out, true);
                            pipe(out, in, false);
                        } catch (IOException closed) {
                            return;
                        }
                    }
                },
                "tcp-relay-" + port);
        t.setDaemon(true);
        t.start();
    }

    private void pipe(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(
                () -> {
                    Http2Requests counter = new Http2Requests();
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            if (fromClient && loseFrom > 0) {
                                int begun = counter.count(buffer, n);
                                if (begun > 0 && holdingAnswers) {
                                    // the client gave up on the held answer and asks again: a reset loses it
                                    loseFrom = 0;
                                    holdingAnswers = false;
                                    resetConnections();
                                    return;
                                }
                                if (begun > 0 && requests.addAndGet(begun) >= loseFrom) {
                                    holdingAnswers = true;
                                }
                            }
                            while (!fromClient && holdingAnswers) {
                                synchronized (this) {
                                    wait(10);
                                }
                            }
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
     * For a gRPC (HTTP/2 over plain TCP) client such as jetcd: once the client has begun its {@code request}-th
     * request from now on (counting over all connections), its answer and every answer after it are held; when the
     * client begins another request (it gave up waiting and retries) the connections are reset, and the held
     * answers are lost. The request itself reached the server: what a client sees when a commit's answer is lost
     * to a network fault.
     *
     * <pre>{@code
     * relay.loseAnswersFrom(2); // a jetcd registration: the lease grant is answered, the create's answer is lost
     * }</pre>
     */
    public void loseAnswersFrom(int request) {
        requests.set(0);
        holdingAnswers = false;
        loseFrom = request;
    }

    private synchronized void resetConnections() {
        notifyAll();
        sockets.forEach(TcpRelay::close);
        sockets.clear();
    }

    /**
     * Counts the requests a client begins in its HTTP/2 byte stream: HEADERS frames on streams it had not used,
     * after the connection preface.
     */
    private static final class Http2Requests {
        private static final int PREFACE = 24;
        private long skip = PREFACE; // bytes still to pass before the next frame header
        private final byte[] header = new byte[9];
        private int have;
        private int lastStream;

        int count(byte[] b, int n) {
            int begun = 0;
            int i = 0;
            while (i < n) {
                if (skip > 0) {
                    int k = (int) Math.min(skip, n - i);
                    skip -= k;
                    i += k;
                    continue;
                }
                header[have++] = b[i++];
                if (have == 9) {
                    have = 0;
                    int length = ((header[0] & 0xff) << 16) | ((header[1] & 0xff) << 8) | (header[2] & 0xff);
                    int type = header[3] & 0xff;
                    int stream = ((header[5] & 0x7f) << 24)
                            | ((header[6] & 0xff) << 16)
                            | ((header[7] & 0xff) << 8)
                            | (header[8] & 0xff);
                    if (type == 1 && stream > lastStream) {
                        lastStream = stream;
                        begun++;
                    }
                    skip = length;
                }
            }
            return begun;
        }
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

    /**
     * Resets every connection through the relay, losing what {@link #freeze()} held, and keeps accepting new ones:
     * a network fault that the client notices as a broken connection. Unlike {@link #cut()} and {@link #restore()}
     * the port is never let go, so nothing else can take it in between.
     */
    public synchronized void reset() {
        sockets.forEach(TcpRelay::close); // first, so that nothing held gets through when the pipes wake
        sockets.clear();
        frozen = false;
        loseFrom = 0;
        holdingAnswers = false;
        notifyAll();
    }

    /** Closes every connection through the relay and refuses new ones. */
    public synchronized void cut() {
        frozen = false;
        loseFrom = 0;
        holdingAnswers = false;
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
