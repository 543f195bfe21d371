package services.ergo.benchmark.saturn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and resident memory of a process, from {@code /proc}: what the kernel charged it, not what it says. */
final class ProcStats {
    /** Linux reports CPU time in clock ticks; 100 a second on every kernel this runs on ({@code getconf CLK_TCK}). */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {}

    /** User plus system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name in parentheses may hold spaces: the fields after it are counted from its end
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/stat", e);
        }
    }

    /** Resident set size in bytes. */
    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/status", e);
        }
    }

    /** Moves every thread of process {@code pid}, and those it starts later, to {@code cpus} ({@code taskset}). */
    static void pin(long pid, String cpus) {
        try {
            new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("cannot pin process " + pid + " to cpus " + cpus + " (taskset)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pinning process " + pid, e);
        }
    }

    /** The share of one core the process used between two readings {@code seconds} apart. */
    static double coreShare(double cpuBefore, double cpuAfter, double seconds) {
        return (cpuAfter - cpuBefore) / seconds;
    }
}
