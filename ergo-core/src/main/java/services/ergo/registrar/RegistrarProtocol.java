package services.ergo.registrar;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The embedded registrar's lines. Text, because a registrar is talked to a few times per node life and a human
 * with {@code nc} should be able to read it; every line starts with the protocol tag so a stray client is told
 * apart at once.
 *
 * <pre>
 * TCP  client → server   ERGO-REG1 REGISTER name@host port KEY     server → client   ERGO-REG1 HELD name@host port VERIFIER …
 *                                                                                    ERGO-REG1 OK | ERGO-REG1 TAKEN why
 *                                                  later, while registered           ERGO-REG1 HELD … | ERGO-REG1 LEFT name@host
 *      client → server   ERGO-REG1 REGISTER name@host port         server → client   ERGO-REG1 OK | ERGO-REG1 TAKEN why
 *      client → server   ERGO-REG1 NODES                           server → client   ERGO-REG1 NODES name@host … (lines)
 *                                                                                    ERGO-REG1 END
 * UDP  query             ERGO-REG1 RESOLVE name@host ID            answer            ERGO-REG1 ROUTE name@host port ID
 *                                                                                    ERGO-REG1 UNKNOWN name@host ID
 *      query             ERGO-REG1 RESOLVE name@host               answer            ERGO-REG1 ROUTE name@host port
 *                                                                                    ERGO-REG1 UNKNOWN name@host
 * </pre>
 *
 * <p>KEY is the node's {@link services.ergo.gen.NameKey} (base64url), VERIFIER its SHA-256 (or {@code -} for a
 * name registered without a key), ID 16 random hex digits. The forms without KEY and ID are the previous
 * release's: its server refuses a line with a KEY (a node of this release then registers without one), and answers
 * only queries without an ID. A NODES query over UDP (the previous release's) is no longer answered: its answer was
 * a 4000-fold amplifier and a node inventory for anyone.
 */
final class RegistrarProtocol {
    static final String TAG = "ERGO-REG1";
    /** The longest line or datagram accepted; a node name is at most 255 characters. */
    static final int MAX_LINE = 512;
    /** The largest datagram read: an answer to a previous-release NODES query (the local fallback). */
    static final int MAX_DATAGRAM = 60_000;
    /** The most names a server holds at once (a host with thousands of nodes is not the use). */
    static final int MAX_NAMES = 4096;

    private static final Pattern NODE_NAME = Pattern.compile("[^\\s@]{1,255}@[^\\s@]{1,255}");

    private RegistrarProtocol() {}

    /** Lines of at most {@link #MAX_LINE} bytes in, strings out, then {@code handler}: both ends of the TCP side. */
    static void lines(io.netty.channel.ChannelPipeline pipeline, io.netty.channel.ChannelHandler handler) {
        pipeline.addLast(new io.netty.handler.codec.LineBasedFrameDecoder(MAX_LINE, true, true))
                .addLast(new io.netty.handler.codec.string.StringDecoder(StandardCharsets.UTF_8))
                .addLast(new io.netty.handler.codec.string.StringEncoder(StandardCharsets.UTF_8))
                .addLast(handler);
    }

    static boolean validName(@Nullable String s) {
        return s != null && s.length() <= 255 && NODE_NAME.matcher(s).matches();
    }

    static String host(String node) {
        return node.substring(node.indexOf('@') + 1);
    }

    /** The port {@code s} names; null when it names none (not a number, or out of 1..65535). */
    static @Nullable Integer port(String s) {
        try {
            int p = Integer.parseInt(s);
            return p >= 1 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The words of a line that carries our tag; null when it does not. */
    static String @Nullable [] words(String line) {
        String[] w = line.strip().split(" ");
        return w.length >= 2 && TAG.equals(w[0]) ? w : null;
    }

    private static final java.security.SecureRandom IDS = new java.security.SecureRandom();

    /** A fresh query id: 64 random bits, so an answer can be matched to its query and a forged one is a guess. */
    static String newId() {
        return String.format("%016x", IDS.nextLong());
    }

    static String base64(byte[] bytes) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The bytes of a base64url word; null when it is not one of {@code length} bytes. */
    static byte @Nullable [] unbase64(String word, int length) {
        try {
            byte[] b = java.util.Base64.getUrlDecoder().decode(word);
            return b.length == length ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Sends each of {@code requests} to the registrar at {@code host:port} over UDP and returns the first answer that
     * {@code accept} takes, resending every 300 ms; null when none came within {@code timeout}. The socket is
     * connected to {@code host:port}, so datagrams from anywhere else never reach {@code accept}.
     */
    static @Nullable String query(
            String host,
            int port,
            java.util.List<String> requests,
            Duration timeout,
            java.util.function.Predicate<String> accept)
            throws IOException {
        InetAddress address = InetAddress.getByName(host);
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] in = new byte[MAX_DATAGRAM];
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(address, port);
            while (true) {
                for (String request : requests) {
                    byte[] out = request.getBytes(StandardCharsets.UTF_8);
                    try {
                        socket.send(new DatagramPacket(out, out.length, address, port));
                    } catch (java.net.PortUnreachableException e) {
                        // an ICMP of the last round: no registrar there yet, ask again
                    }
                }
                long resend = System.nanoTime() + 300_000_000L;
                while (true) {
                    long now = System.nanoTime();
                    long wait = Math.min(resend, deadline) - now;
                    if (wait <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) Math.max(1, wait / 1_000_000));
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (java.net.PortUnreachableException e) {
                        continue; // nothing serves there (yet): the next round asks again
                    }
                    String answer = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                    if (accept.test(answer)) {
                        return answer;
                    }
                }
                if (System.nanoTime() >= deadline) {
                    return null;
                }
            }
        }
    }
}
