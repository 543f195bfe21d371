package services.ergo.benchmark.saturn;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The server's JVM seen from the driver: its port, pid and certificate, and its commands (see {@link ScaleServer}). */
final class ServerProcess implements AutoCloseable {
    final Process process;
    final int port;
    final long pid;
    final @Nullable File certificate;
    private final BufferedReader out;
    private final PrintWriter in;

    private ServerProcess(Process process, int port, long pid, @Nullable File certificate, BufferedReader out) {
        this.process = process;
        this.port = port;
        this.pid = pid;
        this.certificate = certificate;
        this.out = out;
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    static ServerProcess start(boolean tls, @Nullable String cpus) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (cpus != null) {
            cmd.addAll(List.of("taskset", "-c", cpus));
        }
        cmd.add(System.getProperty("java.home") + "/bin/java");
        cmd.addAll(List.of("-Xms256m", "-Xmx2g", "-XX:+UseG1GC"));
        String extra = System.getenv("SATURN_SCALE_SERVER_FLAGS"); // a profiler, say
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ScaleServer.class.getName());
        cmd.add(tls ? "tls" : "plain");
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("READY ")) {
                String[] f = line.split(" ");
                return new ServerProcess(
                        p, Integer.parseInt(f[1]), Long.parseLong(f[2]), f[3].equals("-") ? null : new File(f[3]), out);
            }
        }
        throw new IllegalStateException(
                "the Saturn server's JVM ended before it was ready (exit " + (p.isAlive() ? "?" : p.exitValue()) + ")");
    }

    private synchronized String ask(String command, String prefix) {
        in.println(command);
        try {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.startsWith(prefix + " ")) {
                    return line.substring(prefix.length() + 1);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("the Saturn server's JVM did not answer " + command, e);
        }
        throw new IllegalStateException("the Saturn server's JVM ended");
    }

    /** Heap plus pooled direct memory in use after a GC, in bytes. */
    long memory() {
        String[] f = ask("mem", "MEM").split(" ");
        return Long.parseLong(f[0]) + Long.parseLong(f[1]);
    }

    /** revision, sessions, max queued bytes, resyncs, snapshots, delta frames, busy. */
    long[] state() {
        String[] f = ask("state", "STATE").split(" ");
        long[] v = new long[f.length];
        for (int i = 0; i < f.length; i++) {
            v[i] = Long.parseLong(f[i]);
        }
        return v;
    }

    @Override
    public void close() {
        try {
            in.println("quit");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
