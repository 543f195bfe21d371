package services.ergo.saturn.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import services.ergo.saturn.protocol.Change;
import services.ergo.saturn.protocol.Codec;
import services.ergo.saturn.protocol.Limits;
import services.ergo.saturn.protocol.Message;
import services.ergo.saturn.protocol.NodeEntry;
import services.ergo.saturn.protocol.Proofs;

/**
 * A blocking Saturn client over a plain socket, for the server's tests: it speaks the wire by hand so a test can
 * stop reading, send garbage, or hold a view as a real registrar would (entries by name, at a revision).
 */
final class RawClient implements AutoCloseable {
    static final Limits LIMITS = Limits.defaults().withMaxFrameBytes(16 << 20);

    final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    final byte[] incarnation;
    final TreeMap<String, NodeEntry> view = new TreeMap<>();
    /** The configuration it holds, keyed {@code scope/item}, as the server sent it. */
    final TreeMap<String, String> config = new TreeMap<>();
    /** Every configuration change received in deltas, in order. */
    final List<Change.Config> configChanges = new ArrayList<>();
    /** Every change received in deltas, in order. */
    final List<Change> changes = new ArrayList<>();

    long epoch;
    long revision = -1;
    int snapshots;
    int deltas;

    RawClient(int port, int receiveBuffer, byte[] incarnation) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        this.incarnation = incarnation;
    }

    static RawClient connect(int port) throws IOException {
        return new RawClient(port, 0, Proofs.random(Codec.INCARNATION_BYTES));
    }

    static NodeEntry entry(String name, int port) {
        return new NodeEntry(name, "127.0.0.1", port, java.util.Map.of(), List.of());
    }

    /** The handshake and registration; returns the server's answer (WELCOME or REFUSED). */
    Message register(String cluster, String token, String name, NodeEntry entry) throws IOException {
        return register(cluster, token, name, entry, 0, -1);
    }

    Message register(String cluster, String token, String name, NodeEntry entry, long epoch, long revision)
            throws IOException {
        return register(cluster, "", token, name, entry, epoch, revision);
    }

    Message register(
            String cluster, String tokenId, String token, String name, NodeEntry entry, long epoch, long revision)
            throws IOException {
        byte[] nonce = Proofs.random(Codec.NONCE_BYTES);
        send(new Message.Hello(Codec.VERSION, List.of("resume"), cluster, tokenId, nonce));
        Message m = read();
        if (!(m instanceof Message.Challenge c)) {
            return m;
        }
        byte[] proof = Proofs.client(token, nonce, c.nonce(), cluster, c.version(), c.features(), name, new byte[0]);
        send(new Message.Register(proof, incarnation, name, entry, epoch, revision));
        Message answer = read();
        if (answer instanceof Message.Welcome w) {
            this.epoch = w.epoch();
        }
        return answer;
    }

    void send(Message m) throws IOException {
        ByteBuf b = Codec.encode(m, ByteBufAllocator.DEFAULT, LIMITS);
        try {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            out.write(bytes);
            out.flush();
        } finally {
            b.release();
        }
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    Message read() throws IOException {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return Codec.decode(Unpooled.wrappedBuffer(body), LIMITS);
    }

    /** Reads and applies view frames until the view is at {@code target} or later. */
    void readUntil(long target) throws IOException {
        List<NodeEntry> pages = null;
        while (revision < target || pages != null) {
            Message m = read();
            if (m instanceof Message.SnapshotPage p) {
                if (p.first()) {
                    pages = new ArrayList<>();
                    snapshots++;
                    config.clear();
                    p.config().forEach(e -> config.put(e.scope() + "/" + e.item(), e.value()));
                }
                pages.addAll(p.entries());
                if (p.last()) {
                    view.clear();
                    pages.forEach(e -> view.put(e.name(), e));
                    revision = p.revision();
                    pages = null;
                }
            } else if (m instanceof Message.Delta d) {
                if (d.fromRevision() != revision) {
                    throw new IllegalStateException("delta from " + d.fromRevision() + " at " + revision);
                }
                deltas++;
                for (Change c : d.changes()) {
                    changes.add(c);
                    if (c instanceof Change.Config cfg) {
                        configChanges.add(cfg);
                        if (cfg.value() == null) {
                            config.remove(cfg.name());
                        } else {
                            config.put(cfg.name(), cfg.value());
                        }
                    } else if (c instanceof Change.Set s) {
                        view.put(s.name(), s.entry());
                    } else {
                        view.remove(c.name());
                    }
                }
                revision = d.toRevision();
            }
        }
    }

    /** True when the server closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByServer() {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
