package services.ergo.inspect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import services.ergo.act.Actor;
import services.ergo.gen.ApplicationInfo;
import services.ergo.gen.ApplicationOptions;
import services.ergo.gen.ErgoException;
import services.ergo.gen.Node;
import services.ergo.gen.NotAllowedException;
import services.ergo.gen.Pid;
import services.ergo.gen.ProcessInfo;
import services.ergo.gen.ProcessOptions;
import services.ergo.gen.ProcessShortInfo;
import services.ergo.gen.Reason;
import services.ergo.gen.Ref;
import services.ergo.leader.LeaderGroups;
import services.ergo.leader.LeaderStatus;

/**
 * The node's inspector, the system process registered as {@link #NAME} through which the Observer looks at the
 * node from any node of the cluster, over the cluster connection: a call with a request map ({@code op} and its
 * arguments) returns maps and lists of strings, numbers and booleans, which need no type registration and survive
 * version differences between nodes (unknown keys are ignored on both sides).
 *
 * <p>A plain node does not run it until asked ({@link #start}); the Spring starter starts it on every node it
 * makes ({@code ergo.inspector.enabled}), with the Logback log and the leader groups.
 *
 * <pre>{@code
 * Node node = Ergo.startNode("billing@host1", NodeOptions.defaults());
 * LogBuffer logs = new LogBuffer(2000);   // filled by whatever captures this JVM's log; without one, no lines
 * Inspector.start(node, InspectorOptions.defaults().withLogs(logs));
 *
 * // from any node of the cluster:
 * Map<?, ?> summary = (Map<?, ?>) other.call(
 *         new ProcessId(Inspector.NAME, "billing@host1"), new HashMap<>(Map.of("op", "node")));
 * }</pre>
 *
 * <table>
 *   <caption>Requests</caption>
 *   <tr><td>{@code node}</td><td>node totals, applications, connections, registrar, leader groups</td></tr>
 *   <tr><td>{@code processes}</td><td>{@code sort} (mailbox, running, in, out, uptime, name, id), {@code desc},
 *       {@code filter}, {@code application}, {@code state}, {@code offset}, {@code limit}: a page and the total</td></tr>
 *   <tr><td>{@code process}</td><td>{@code id}: everything about one process and its {@code handleInspect}</td></tr>
 *   <tr><td>{@code logs}</td><td>{@code after}, {@code level}, {@code text}, {@code limit}: recent log lines</td></tr>
 *   <tr><td>{@code send}, {@code exit}, {@code kill}</td><td>{@code id} ({@code message}, {@code reason}): act on a process</td></tr>
 *   <tr><td>{@code application}</td><td>{@code name}, {@code action} (start, stop) or {@code weight}</td></tr>
 * </table>
 *
 * <p>Any node that holds the cookie can call it, so it checks for itself what the caller may do, whatever the
 * caller checked: actions only with {@link InspectorOptions#actionsEnabled()} (off by default), and an application
 * start asked by another node only as far as a remote start would be allowed
 * ({@link services.ergo.gen.Network#checkApplicationStart}); the log and process env can be withheld
 * ({@link InspectorOptions#logsEnabled()}, {@link InspectorOptions#envEnabled()}). A refusal is a
 * {@link NotAllowedException} to the caller and is counted in the {@code node} answer's {@code inspector.refused}.
 */
public final class Inspector extends Actor {
    /** The name the inspector is registered under on every node that runs one. */
    public static final String NAME = "ergo_inspector";

    private final InspectorOptions options;
    private final LongAdder refused = new LongAdder();

    /** An inspector to spawn under {@link #NAME} yourself; {@link #start} does that. */
    public Inspector(InspectorOptions options) {
        this.options = options;
    }

    /**
     * Spawns the node's inspector and registers it as {@link #NAME}.
     *
     * @return its pid
     * @throws services.ergo.gen.NameTakenException when the node already runs one (or another process has the name)
     */
    public static Pid start(Node node, InspectorOptions options) {
        return node.spawnRegister(NAME, () -> new Inspector(options), ProcessOptions.defaults());
    }

    @Override
    protected @Nullable Object handleCall(Pid from, Ref ref, Object request) {
        try {
            return answer(from, request);
        } catch (ErgoException e) {
            sendResponseError(from, ref, e);
        } catch (RuntimeException e) {
            // a bad request (an unknown op, a gone process, a malformed id) is the caller's error: answering it,
            // rather than throwing, keeps the inspector alive for the next caller
            sendResponseError(from, ref, new ErgoException(String.valueOf(e.getMessage())));
        }
        return null;
    }

    private Object answer(Pid from, Object request) {
        if (!(request instanceof Map<?, ?> req)) {
            throw new IllegalArgumentException("an inspector request is a map with an 'op'");
        }
        String op = String.valueOf(req.get("op"));
        Node node = node();
        return switch (op) {
            case "node" -> nodeSummary(node);
            case "processes" -> processes(node, req);
            case "process" -> process(node, pid(node, req));
            case "logs" -> {
                if (!options.logsEnabled()) {
                    throw refuse("the log is not served by " + node.name() + " (ergo.inspector.logs-enabled)");
                }
                yield logs(req);
            }
            case "send" -> {
                mayAct(node, op);
                node.send(pid(node, req), String.valueOf(req.get("message")));
                yield done("sent");
            }
            case "exit" -> {
                mayAct(node, op);
                Object why = req.get("reason");
                node.sendExit(pid(node, req), Reason.of(why == null ? "observer" : why.toString()));
                yield done("exit sent");
            }
            case "kill" -> {
                mayAct(node, op);
                node.kill(pid(node, req));
                yield done("killed");
            }
            case "application" -> {
                mayAct(node, op);
                yield application(node, from, req);
            }
            default -> throw new IllegalArgumentException("unknown inspector op '" + op + "'");
        };
    }

    /** The node's own switch, checked here whatever the caller checked: the caller may be any cookie holder. */
    private void mayAct(Node node, String op) {
        if (!options.actionsEnabled()) {
            throw refuse("actions are disabled on " + node.name() + ": '" + op
                    + "' refused (ergo.inspector.actions-enabled, InspectorOptions.withActionsEnabled)");
        }
    }

    private NotAllowedException refuse(String why) {
        refused.increment();
        return new NotAllowedException(why);
    }

    private static Map<String, Object> done(String what) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("done", what);
        return m;
    }

    private static Pid pid(Node node, Map<?, ?> req) {
        Object id = req.get("id");
        if (id == null) {
            throw new IllegalArgumentException("this request needs the process 'id'");
        }
        return new Pid(node.name(), Long.parseLong(id.toString()), node.creation());
    }

    // ------------------------------------------------------------------ node

    private Map<String, Object> nodeSummary(Node node) {
        Map<String, Object> m = NodeSnapshot.totals(node);
        m.put("cpuLoad", cpuLoad());
        m.put("timeMillis", System.currentTimeMillis());
        List<Object> apps = new ArrayList<>();
        for (ApplicationInfo a : node.applications()) {
            apps.add(NodeSnapshot.application(a));
        }
        m.put("applications", apps);
        m.put("network", NodeSnapshot.network(node));
        List<Object> groups = new ArrayList<>();
        for (LeaderStatus s : options.leaders().get()) {
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("group", s.clusterId());
            g.putAll(LeaderGroups.describe(s));
            groups.add(g);
        }
        m.put("leaders", groups);
        Map<String, Object> inspector = new LinkedHashMap<>();
        inspector.put("actionsEnabled", options.actionsEnabled());
        inspector.put("logsEnabled", options.logsEnabled());
        inspector.put("envEnabled", options.envEnabled());
        inspector.put("refused", refused.sum());
        m.put("inspector", inspector);
        return m;
    }

    private static double cpuLoad() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuLoad());
        }
        return 0;
    }

    // ------------------------------------------------------------------ processes

    private static Map<String, Object> processes(Node node, Map<?, ?> req) {
        String sort = string(req.get("sort"), "id");
        boolean desc = Boolean.parseBoolean(string(req.get("desc"), "false"));
        String filter = string(req.get("filter"), "").toLowerCase(Locale.ROOT);
        String application = string(req.get("application"), "");
        String state = string(req.get("state"), "").toUpperCase(Locale.ROOT);
        int offset = (int) Math.max(0, number(req.get("offset"), 0));
        int limit = (int) Math.min(1000, Math.max(1, number(req.get("limit"), 50)));
        List<ProcessShortInfo> all = new ArrayList<>();
        node.forEachProcess(p -> {
            boolean matches = (filter.isEmpty()
                            || (p.name() != null
                                    && p.name().toLowerCase(Locale.ROOT).contains(filter))
                            || p.behavior().toLowerCase(Locale.ROOT).contains(filter)
                            || Long.toString(p.pid().id()).equals(filter))
                    && (application.isEmpty() || application.equals(p.application()))
                    && (state.isEmpty() || p.state().name().equals(state));
            if (matches) {
                all.add(p);
            }
        });
        Comparator<ProcessShortInfo> order = switch (sort) {
            case "mailbox" -> Comparator.comparingLong(ProcessShortInfo::mailboxDepth);
            case "running" -> Comparator.comparingLong(ProcessShortInfo::runningTimeNanos);
            case "in" -> Comparator.comparingLong(ProcessShortInfo::messagesIn);
            case "out" -> Comparator.comparingLong(ProcessShortInfo::messagesOut);
            case "uptime" -> Comparator.comparingLong(ProcessShortInfo::uptimeMillis);
            case "name" -> Comparator.comparing(p -> p.name() == null ? "" : p.name());
            default -> Comparator.comparingLong(p -> p.pid().id());
        };
        all.sort(desc ? order.reversed() : order);
        List<Object> items = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
            ProcessShortInfo p = all.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.pid().id());
            m.put("pid", p.pid().toString());
            m.put("name", p.name() == null ? "" : p.name());
            m.put("application", p.application() == null ? "" : p.application());
            m.put("behavior", p.behavior());
            m.put("state", p.state().name().toLowerCase(Locale.ROOT));
            m.put("mailbox", p.mailboxDepth());
            m.put("messagesIn", p.messagesIn());
            m.put("messagesOut", p.messagesOut());
            m.put("runningMillis", p.runningTimeNanos() / 1_000_000);
            m.put("uptimeMillis", p.uptimeMillis());
            items.add(m);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("total", (long) all.size());
        result.put("offset", (long) offset);
        result.put("items", items);
        return result;
    }

    private Map<String, Object> process(Node node, Pid pid) {
        ProcessInfo p = node.processInfo(pid);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", pid.id());
        m.put("pid", pid.toString());
        m.put("name", p.name() == null ? "" : p.name());
        m.put("application", p.application() == null ? "" : p.application());
        m.put("behavior", p.behavior());
        m.put("state", p.state().name().toLowerCase(Locale.ROOT));
        m.put("parent", String.valueOf(p.parent()));
        m.put("leader", String.valueOf(p.leader()));
        Map<String, Object> mailbox = new LinkedHashMap<>();
        mailbox.put("urgent", p.mailbox().urgent());
        mailbox.put("system", p.mailbox().system());
        mailbox.put("main", p.mailbox().main());
        mailbox.put("log", p.mailbox().log());
        m.put("mailbox", mailbox);
        m.put("mailboxSize", (long) p.mailboxSize());
        m.put("messagesIn", p.messagesIn());
        m.put("messagesOut", p.messagesOut());
        m.put("runningMillis", p.runningTimeNanos() / 1_000_000);
        m.put("uptimeMillis", p.uptimeMillis());
        m.put("trapExit", p.trapExit());
        m.put("links", strings(p.links()));
        m.put("monitors", strings(p.monitors()));
        m.put("monitoredBy", strings(p.monitoredBy()));
        m.put("aliases", strings(p.aliases()));
        m.put("events", strings(p.events()));
        Map<String, Object> env = new LinkedHashMap<>();
        if (options.envEnabled()) { // the process env includes the node's (ergo.node.env): secrets, often
            p.env().forEach((k, v) -> env.put(k, String.valueOf(v)));
        }
        m.put("env", env);
        m.put("envShown", options.envEnabled());
        Map<String, Object> inspect = new LinkedHashMap<>();
        if (!pid.equals(pid())) {
            try {
                node.inspect(pid).forEach(inspect::put);
            } catch (RuntimeException e) {
                inspect.put("(inspect failed)", e.getMessage());
            }
        }
        m.put("inspect", inspect);
        return m;
    }

    private static List<Object> strings(List<?> values) {
        List<Object> out = new ArrayList<>();
        values.forEach(v -> out.add(String.valueOf(v)));
        return out;
    }

    // ------------------------------------------------------------------ logs, applications

    private Map<String, Object> logs(Map<?, ?> req) {
        LogSource logs = options.logs();
        long after = number(req.get("after"), 0);
        int limit = (int) Math.min(2000, Math.max(1, number(req.get("limit"), 500)));
        List<Object> items = new ArrayList<>();
        for (LogSource.Line l : logs.after(after, optional(req.get("level")), optional(req.get("text")), limit)) {
            items.add(l.toMap());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("next", logs.next());
        m.put("items", items);
        return m;
    }

    private Map<String, Object> application(Node node, Pid from, Map<?, ?> req) {
        String name = string(req.get("name"), "");
        Object action = req.get("action");
        Object weight = req.get("weight");
        if (action != null && !"start".equals(action) && !"stop".equals(action)) {
            throw new IllegalArgumentException("application action is start or stop, got " + action);
        }
        if ("start".equals(action) && !from.node().equals(node.name())) {
            // another node asks: it gets no more than its own remote start frame would (review M7)
            try {
                node.network().checkApplicationStart(name, from.node());
            } catch (NotAllowedException e) {
                refused.increment();
                throw e;
            }
        }
        if (weight != null) {
            node.applicationSetWeight(name, (int) number(weight, 0));
        }
        if ("start".equals(action)) {
            node.applicationStart(name, ApplicationOptions.defaults());
        } else if ("stop".equals(action)) {
            node.applicationStop(name);
        }
        return done("application " + name + " updated");
    }

    private static String string(@Nullable Object v, String otherwise) {
        return v == null ? otherwise : v.toString();
    }

    private static @Nullable String optional(@Nullable Object v) {
        return v == null ? null : v.toString();
    }

    private static long number(@Nullable Object v, long otherwise) {
        if (v == null) {
            return otherwise;
        }
        if (v instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + v + "' is not a number");
        }
    }
}
