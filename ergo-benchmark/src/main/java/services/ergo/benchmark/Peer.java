package services.ergo.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The other node of a network scenario, in its own JVM with the same flags: it prints {@code READY <port>} and
 * serves until it is killed.
 */
final class Peer implements AutoCloseable {
    /** Lines of the peer's output kept for a failure message: enough to show why it stopped. */
    private static final int TAIL_LINES = 40;

    final Process process;
    final int port;
    private final ArrayDeque<String> tail = new ArrayDeque<>();

    private Peer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** The last lines the peer printed after it was ready, for a failure message. */
    String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    private void keep(String line) {
        synchronized (tail) {
            if (tail.size() == TAIL_LINES) {
                tail.removeFirst();
            }
            tail.addLast(line);
        }
    }

    static Peer start(String side, String scenario, String mode, String... extra) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add(side);
        cmd.add(scenario + "-peer");
        cmd.add(mode);
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        for (String line; (line = in.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
                Peer peer = new Peer(p, Integer.parseInt(line.substring(6).trim()));
                Thread drain = new Thread(() -> {
                    try {
                        // keeps the pipe from filling up, and the last lines for a failure message
                        for (String more; (more = in.readLine()) != null; ) {
                            peer.keep(more);
                        }
                    } catch (IOException ignored) {
                        // the peer was killed
                    }
                });
                drain.setDaemon(true);
                drain.start();
                return peer;
            }
            seen.append(line).append('\n');
        }
        throw new IllegalStateException("the peer JVM ended before it was ready:\n" + seen);
    }

    /** Stops the peer politely first, so what it records on exit (a JFR profile, say) is written. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
