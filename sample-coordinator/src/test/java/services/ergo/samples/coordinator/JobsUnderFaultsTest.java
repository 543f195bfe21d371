package services.ergo.samples.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import services.ergo.testkit.EtcdServer;

/**
 * The seed's job-processing cluster under faults, in separate JVMs: etcd, three coordinators, three workers (one a
 * canary with weight 10 beside two of 45). 10 000 jobs are submitted through the two coordinators that do not lead,
 * in batches of 100 with at most 1 000 in flight; meanwhile the canary and then the leader coordinator are killed with SIGKILL. Every job must end exactly once,
 * done or reported failed to its submitter; a new leader must lead within a second; the canary must have got
 * 10 % ± 3 % of the jobs dispatched while it was up.
 */
class JobsUnderFaultsTest {
    private static final String CLUSTER = "jobs-e2e";
    private static final int JOBS = 10_000;
    private static final int BATCH = 100;
    /** About half a second of the workers' work: jobs wait for a worker far less than the desk's 5 s. */
    private static final int MAX_IN_FLIGHT = 1_000;

    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private EtcdServer etcd;

    @AfterEach
    void stop() throws Exception {
        processes.forEach(Process::destroyForcibly);
        if (etcd != null) {
            etcd.close();
        }
    }

    /** A service in a JVM of its own, on the test's class path. */
    private Service start(String main, String node, int port, String... extra) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "e2e"))
                .resolve(node.substring(0, node.indexOf('@')) + ".log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                main,
                "--server.port=" + port,
                "--ergo.node.name=" + node,
                "--ergo.node.cookie=e2e",
                "--ergo.network.port=0",
                "--ergo.registrar.type=etcd",
                "--ergo.registrar.etcd.endpoints=" + etcd.endpoint(),
                "--ergo.registrar.etcd.cluster=" + CLUSTER,
                "--ergo.registrar.etcd.lease-ttl=2s",
                "--management.endpoint.health.show-details=always",
                "--management.endpoints.web.exposure.include=health,prometheus",
                "--logging.level.root=warn",
                // the node's own view (connections, leader terms) is kept, for a failure to be read afterwards
                "--logging.level.services.ergo=info"));
        command.addAll(List.of(extra));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(p);
        return new Service(node, port, p);
    }

    record Service(String node, int port, Process process) {
        String url(String path) {
            return "http://localhost:" + port + path;
        }
    }

    private String get(String url) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String post(String url) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(200);
        return r.body();
    }

    private boolean leads(Service c) {
        try {
            Object leading = JsonPath.read(get(c.url("/actuator/health/ergoLeader")), "$.details.coordinators.leading");
            return Boolean.TRUE.equals(leading);
        } catch (Exception notYet) {
            return false;
        }
    }

    private Map<String, Double> dispatched(Service leader) throws Exception {
        Map<String, Double> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("jobs_dispatched_total\\{worker=\"([^\"]+)\"} ([0-9.E]+)")
                .matcher(get(leader.url("/actuator/prometheus")));
        while (m.find()) {
            out.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return out;
    }

    @Test
    @Timeout(300)
    void everyJobEndsExactlyOnceThroughALeaderAndAWorkerKilled() throws Exception {
        etcd = EtcdServer.start();
        String peers = "coordinator@c1@localhost,coordinator@c2@localhost,coordinator@c3@localhost";
        String worker = "services.ergo.samples.worker.WorkerApplication";
        String coordinator = "services.ergo.samples.coordinator.CoordinatorApplication";
        List<Service> workers = List.of(
                start(worker, "w1@localhost", EtcdServer.freePort(), "--ergo.applications.worker.weight=45"),
                start(worker, "w2@localhost", EtcdServer.freePort(), "--ergo.applications.worker.weight=45"),
                start(worker, "canary@localhost", EtcdServer.freePort(), "--ergo.applications.worker.weight=10"));
        Path state = Files.createTempDirectory("e2e-leader");
        List<Service> coordinators = new ArrayList<>();
        for (String c : List.of("c1", "c2", "c3")) {
            coordinators.add(start(
                    coordinator,
                    c + "@localhost",
                    EtcdServer.freePort(),
                    "--ergo.leader.groups.coordinators.peers=" + peers,
                    "--ergo.leader.groups.coordinators.state-directory=" + state,
                    "--sample.job-timeout=5s"));
        }
        for (Service s : concat(workers, coordinators)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> get(s.url("/actuator/health")).contains("\"status\":\"UP\""));
        }
        Service leader = Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(
                        () -> coordinators.stream()
                                .filter(this::leads)
                                .findFirst()
                                .orElse(null),
                        l -> l != null);
        List<Service> submitters =
                coordinators.stream().filter(c -> c != leader).toList();
        // the leader sees all three workers before the run starts
        java.util.concurrent.atomic.AtomicInteger warmUp = new java.util.concurrent.atomic.AtomicInteger();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            for (int i = 0; i < 3; i++) {
                post(submitters.get(0).url("/jobs?work=0"));
                warmUp.incrementAndGet();
            }
            return dispatched(leader).size() == 3;
        });

        Service canary = workers.get(2);
        Map<String, Double> beforeCanaryKill = Map.of();
        long leaderKilledAt = 0;
        long newLeaderAt = 0;
        Service next = null;
        for (int batch = 0; batch < JOBS / BATCH; batch++) {
            // a client that keeps a bounded number of jobs in flight, as a real one would: the HTTP side takes
            // jobs several times faster than the workers do them, and an unbounded backlog would make jobs wait
            // longer than the desk's 5 s, failing them for the load rather than for the faults under test
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> pending(submitters) < MAX_IN_FLIGHT);
            post(submitters.get(batch % 2).url("/jobs/batch?count=" + BATCH + "&work=1"));
            if (batch == 30) {
                beforeCanaryKill = dispatched(leader);
                canary.process().destroyForcibly(); // SIGKILL
            }
            if (batch == 60) {
                leaderKilledAt = System.nanoTime();
                leader.process().destroyForcibly();
                next = Awaitility.await()
                        .atMost(Duration.ofSeconds(10))
                        .pollInterval(Duration.ofMillis(10))
                        .until(
                                () -> submitters.stream()
                                        .filter(this::leads)
                                        .findFirst()
                                        .orElse(null),
                                l -> l != null);
                newLeaderAt = System.nanoTime();
            }
        }
        // every job ends: done, or failed after the 5 s the desk waits
        for (Service s : submitters) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> get(s.url("/jobs")), body -> !body.contains("\"pending\""));
        }
        long submitted = 0;
        long done = 0;
        long failed = 0;
        long doneTwice = 0;
        long late = 0;
        Map<String, Long> byWorker = new LinkedHashMap<>();
        Map<String, Long> reasons = new LinkedHashMap<>();
        for (Service s : submitters) {
            String body = get(s.url("/jobs"));
            submitted += ((Number) JsonPath.read(body, "$.submitted")).longValue();
            done += number(body, "$.states.done");
            failed += number(body, "$.states.failed");
            doneTwice += number(body, "$.doneTwice");
            late += number(body, "$.lateAnswers");
            Map<String, Object> w = JsonPath.read(body, "$.doneByWorker");
            w.forEach((k, v) -> byWorker.merge(k, ((Number) v).longValue(), Long::sum));
            Map<String, Object> r = JsonPath.read(body, "$.failedBecause");
            r.forEach((k, v) -> reasons.merge(k, ((Number) v).longValue(), Long::sum));
        }
        double canaryShare = share(beforeCanaryKill, canary.node());
        long failoverMillis = (newLeaderAt - leaderKilledAt) / 1_000_000;
        System.out.printf(
                "jobs under faults: submitted %d (+%d warm-up), done %d, failed %d %s, late answers %d, done twice %d;"
                        + " done by worker %s;"
                        + " new leader %s %d ms after SIGKILL of %s; canary share of %s dispatched while up %.1f %%%n",
                submitted - warmUp.get(),
                warmUp.get(),
                done,
                failed,
                reasons,
                late,
                doneTwice,
                byWorker,
                next.node(),
                failoverMillis,
                leader.node(),
                beforeCanaryKill,
                canaryShare * 100);

        assertThat(submitted).isEqualTo(JOBS + warmUp.get());
        assertThat(done + failed).as("every job ended, done or reported failed").isEqualTo(submitted);
        assertThat(doneTwice).as("no job ran twice").isZero();
        assertThat(failoverMillis).as("a new leader within a second").isLessThan(1000);
        assertThat(canaryShare).as("the canary's share").isBetween(0.07, 0.13);
        assertThat(done)
                .as(() -> "most jobs get done; the nodes' logs end:\n" + logTails())
                .isGreaterThan(JOBS * 8L / 10);
    }

    private long pending(List<Service> submitters) throws Exception {
        long n = 0;
        for (Service s : submitters) {
            n += number(get(s.url("/jobs")), "$.states.pending");
        }
        return n;
    }

    /** The last lines of every service's log, for a failure's message. */
    private String logTails() {
        StringBuilder out = new StringBuilder();
        try (var logs = Files.list(Path.of("target", "e2e"))) {
            for (Path log : logs.sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                out.append("--- ").append(log.getFileName()).append('\n');
                lines.subList(Math.max(0, lines.size() - 30), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            }
        } catch (java.io.IOException e) {
            out.append("(logs unreadable: ").append(e).append(")");
        }
        return out.toString();
    }

    private static long number(String body, String path) {
        try {
            return ((Number) JsonPath.read(body, path)).longValue();
        } catch (com.jayway.jsonpath.PathNotFoundException none) {
            return 0;
        }
    }

    private static double share(Map<String, Double> dispatched, String node) {
        double total =
                dispatched.values().stream().mapToDouble(Double::doubleValue).sum();
        return total == 0 ? 0 : dispatched.getOrDefault(node, 0.0) / total;
    }

    private static List<Service> concat(List<Service> a, List<Service> b) {
        List<Service> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
