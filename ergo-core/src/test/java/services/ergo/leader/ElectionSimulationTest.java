package services.ergo.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The election under a deterministic simulation: virtual time, message delay, loss, duplication and reordering,
 * partitions that come and go, crashes and restarts (term, vote and membership survive on "disk"), and membership
 * changes: members that join by asking, requests to add or remove any member sent to any member, and targets set
 * on the leader as a registrar's discovery would. And forgeries: a node outside the group sends election messages
 * with terms no member reached and memberships of ghosts, and a member sends messages that name another member as
 * their sender; no member's term may ever pass the highest a member stood for. Every schedule is a seed;
 * a failing one prints it, and {@code -Delection.seed=S -Delection.schedules=1} replays it exactly.
 */
class ElectionSimulationTest {
    private static final long MIN = 150;
    private static final long MAX = 300;
    private static final long HEARTBEAT = 50;
    private static final long FAULTS_UNTIL = 3_000;
    private static final long CHECK_AT = 6_000;
    private static final boolean TRACE = Boolean.getBoolean("election.trace");

    @Test
    void tenThousandRandomSchedulesNeverElectTwoLeadersInATermNorOverlapLeadersAndHealToOneLeader() {
        long base = Long.getLong("election.seed", System.nanoTime());
        int schedules = Integer.getInteger("election.schedules", 10_000);
        long t0 = System.nanoTime();
        long elections = 0;
        long changes = 0;
        for (int i = 0; i < schedules; i++) {
            long seed = base + i;
            try {
                Simulation simulation = new Simulation(seed);
                elections += simulation.run();
                changes += simulation.changes;
            } catch (AssertionError e) {
                throw new AssertionError(
                        "schedule with seed " + seed + " failed (replay with -Delection.seed=" + seed
                                + " -Delection.schedules=1): " + e.getMessage(),
                        e);
            }
        }
        System.out.printf(
                "election simulation: %d schedules (seeds %d..%d), %d leaders elected, %d memberships made (changes and new leaders' stamps), %d ms%n",
                schedules, base, base + schedules - 1, elections, changes, (System.nanoTime() - t0) / 1_000_000);
    }

    private record Event(long time, long seq, String to, String from, Election.Message message)
            implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
        }
    }

    private static final class Simulation {
        final SplittableRandom random;
        final List<String> names = new ArrayList<>();
        /** The first membership; the other names join by asking. */
        final Set<String> bootstrap = new LinkedHashSet<>();

        long changes;
        /** Term and vote of each member, surviving its crashes (the simulation's disks). */
        final Map<String, Election.Persistence> disks = new HashMap<>();

        final Map<String, Election> nodes = new HashMap<>();
        final Map<String, Integer> side = new HashMap<>();
        long overlapSince = -1;
        final Map<Long, String> leaderOfTerm = new HashMap<>();
        final PriorityQueue<Event> queue = new PriorityQueue<>();
        final double loss;
        final double duplication;
        long seq;
        long now;
        long elected;
        boolean healed;

        Simulation(long seed) {
            random = new SplittableRandom(seed);
            int first = random.nextBoolean() ? 3 : 5;
            int n = first + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                String name = "m" + i;
                names.add(name);
                if (i < first) {
                    bootstrap.add(name);
                }
                disks.put(name, Election.Persistence.inMemory());
                side.put(name, 0);
            }
            loss = random.nextDouble() * 0.2;
            duplication = random.nextDouble() * 0.1;
            for (String name : names) {
                start(name);
            }
            // faults: a few partitions and crashes, each with its end, all before FAULTS_UNTIL
            int faults = random.nextInt(6);
            for (int i = 0; i < faults; i++) {
                long at = random.nextLong(FAULTS_UNTIL - 200);
                long until = Math.min(FAULTS_UNTIL, at + 100 + random.nextLong(1_500));
                if (random.nextBoolean()) {
                    String victim = names.get(random.nextInt(n));
                    queue.add(new Event(at, seq++, victim, "crash", null));
                    queue.add(new Event(until, seq++, victim, "restart", null));
                } else {
                    queue.add(new Event(at, seq++, null, "partition", null));
                    queue.add(new Event(until, seq++, null, "heal", null));
                }
            }
            // membership changes: a request to any live member, or a target set on whoever leads
            int requests = random.nextInt(8);
            for (int i = 0; i < requests; i++) {
                long at = random.nextLong(FAULTS_UNTIL);
                queue.add(new Event(
                        at, seq++, names.get(random.nextInt(n)), random.nextInt(4) == 0 ? "target" : "request", null));
            }
            int forgeries = random.nextInt(30);
            for (int i = 0; i < forgeries; i++) {
                queue.add(new Event(random.nextLong(CHECK_AT), seq++, names.get(random.nextInt(n)), "forge", null));
            }
            queue.add(new Event(FAULTS_UNTIL, seq++, null, "heal-all", null));
        }

        /** The node outside the group that forges. */
        static final String OUTSIDER = "x9";

        static final long FORGED_TERM = 1L << 40;
        /** The highest term any member stood for: no member's term may pass it. */
        long stood;

        /**
         * A forgery to {@code to}: from the outsider, a message with a term no member reached (or a change of the
         * membership); from a live member, one that names another member as candidate or leader, with a term a
         * little ahead of the highest any member stood for (a real member could not send it under its own name).
         */
        void forge(String to) {
            Election target = nodes.get(to);
            if (target == null) {
                return;
            }
            String other = names.get(random.nextInt(names.size()));
            Membership ghosts = new Membership(FORGED_TERM, 0, List.of("ghost"));
            Election.Message m;
            String from;
            if (random.nextBoolean()) {
                from = OUTSIDER;
                m = switch (random.nextInt(6)) {
                    case 0 -> new Election.Heartbeat(FORGED_TERM, OUTSIDER, ghosts, true, null);
                    case 1 -> new Election.Heartbeat(FORGED_TERM, other, ghosts, true, new String[] {"ghost"});
                    case 2 -> new Election.RequestVote(FORGED_TERM, OUTSIDER, FORGED_TERM, 0);
                    case 3 -> new Election.PreVoteReply(FORGED_TERM, false);
                    case 4 -> new Election.HeartbeatAck(FORGED_TERM, false, -1, -1);
                    default -> new Election.MemberChange(0, other, false, 0);
                };
            } else {
                List<String> up = names.stream()
                        .filter(x -> nodes.containsKey(x) && !x.equals(other))
                        .toList();
                if (up.isEmpty()) {
                    return;
                }
                from = up.get(random.nextInt(up.size()));
                long term = stood + 1 + random.nextInt(1_000);
                Election e = nodes.get(from);
                Membership held = e.membership() != null ? e.membership() : new Membership(0, 0, List.of(other));
                m = random.nextBoolean()
                        ? new Election.Heartbeat(term, other, held.next(term, held.members()), true, null)
                        : new Election.RequestVote(term, other, term, held.version() + 1);
            }
            if (!from.equals(to)) {
                apply(to, target.receive(from, m, now));
            }
        }

        void start(String name) {
            Election e = new Election(
                    name,
                    new LinkedHashSet<>(bootstrap),
                    true,
                    MIN,
                    MAX,
                    HEARTBEAT,
                    random.split(),
                    disks.get(name),
                    now);
            nodes.put(name, e);
            timer(name);
        }

        void timer(String name) {
            Election e = nodes.get(name);
            if (e != null) {
                queue.add(new Event(e.nextDeadline(), seq++, name, "tick", null));
            }
        }

        long run() {
            while (!queue.isEmpty() && queue.peek().time() <= CHECK_AT) {
                Event ev = queue.poll();
                now = ev.time();
                if (TRACE) { // -Delection.trace=true with a replayed seed: every event as it happens
                    System.out.println(now + " " + ev.from() + " -> " + ev.to() + " " + ev.message() + " sides " + side
                            + " up " + nodes.keySet());
                }
                switch (ev.from()) {
                    case "tick" -> {
                        Election e = nodes.get(ev.to());
                        if (e != null && now >= e.nextDeadline()) {
                            apply(ev.to(), e.tick(now));
                        }
                    }
                    case "crash" -> nodes.remove(ev.to());
                    case "restart" -> {
                        if (!nodes.containsKey(ev.to())) {
                            start(ev.to());
                        }
                    }
                    case "request" -> {
                        List<String> up =
                                names.stream().filter(nodes::containsKey).toList();
                        if (!up.isEmpty()) {
                            String at = up.get(random.nextInt(up.size()));
                            apply(at, nodes.get(at).requestChange(ev.to(), random.nextBoolean(), now));
                        }
                    }
                    case "target" -> {
                        Set<String> target = new LinkedHashSet<>();
                        names.forEach(m -> {
                            if (random.nextBoolean()) {
                                target.add(m);
                            }
                        });
                        for (String m : names) {
                            Election e = nodes.get(m);
                            if (e != null && e.isLeader()) {
                                apply(m, e.setTarget(target, now));
                            }
                        }
                    }
                    case "forge" -> forge(ev.to());
                    case "partition" -> names.forEach(m -> side.put(m, random.nextInt(2)));
                    case "heal" -> names.forEach(m -> side.put(m, 0));
                    case "heal-all" -> {
                        healed = true;
                        names.forEach(m -> side.put(m, 0));
                        for (String m : names) {
                            if (!nodes.containsKey(m)) {
                                start(m);
                            }
                        }
                    }
                    default -> {
                        Election e = nodes.get(ev.to());
                        if (e != null && side.get(ev.to()).equals(side.get(ev.from()))) {
                            apply(ev.to(), e.receive(ev.from(), ev.message(), now));
                        }
                    }
                }
                check();
            }
            // after the heal, a bound later: one leader, it reached the membership it was heading for, and every
            // member holds that membership and follows it
            List<String> leaders =
                    names.stream().filter(m -> nodes.get(m).isLeader()).toList();
            assertThat(leaders)
                    .as(
                            "leaders %s s after the network healed; members %s",
                            (CHECK_AT - FAULTS_UNTIL) / 1000.0, states())
                    .hasSize(1);
            Election leader = nodes.get(leaders.get(0));
            assertThat(leader.target())
                    .as("where the leader's membership %s was heading; members %s", leader.membership(), states())
                    .isNull();
            for (String m : leader.membership().members()) {
                assertThat(nodes.get(m).leader()).as("%s follows the leader", m).isEqualTo(leaders.get(0));
                assertThat(nodes.get(m).membership()).as("%s's membership", m).isEqualTo(leader.membership());
            }
            changes = leader.membership().version();
            return elected;
        }

        /** Each member's view, for a failure's message. */
        String states() {
            StringBuilder out = new StringBuilder();
            for (String m : names) {
                Election e = nodes.get(m);
                out.append("\n  ")
                        .append(m)
                        .append(": ")
                        .append(e.role())
                        .append(" term ")
                        .append(e.term());
                out.append(" leader ").append(e.leader()).append(" membership ").append(e.membership());
                out.append(" target ").append(e.target());
            }
            return out.toString();
        }

        void apply(String from, Election.Output out) {
            for (Election.Send s : out.sends()) {
                if (!healed && random.nextDouble() < loss) {
                    continue;
                }
                int copies = !healed && random.nextDouble() < duplication ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    long delay = 1 + random.nextLong(healed ? 5 : 20);
                    queue.add(new Event(now + delay, seq++, s.to(), from, s.message()));
                }
            }
            timer(from);
        }

        /**
         * Never two leaders in one term. And a leader cut off from the majority steps down within an election
         * timeout of its last acknowledgement from a majority: so two leaders (of different terms) never coexist
         * for longer than that plus delivery, and a leader stranded in a minority is gone as soon.
         */
        void check() {
            List<String> leaders = new ArrayList<>();
            // a term beyond the highest stood for so far is only that of a member standing now, one ahead
            long highest = stood;
            for (String m : names) {
                Election e = nodes.get(m);
                long t = disks.get(m).term();
                if (t > stood) {
                    assertThat(e != null
                                    && e.role() != Election.Role.FOLLOWER
                                    && e.role() != Election.Role.PRE_CANDIDATE
                                    && t == stood + 1)
                            .as("%s's term %d at %d ms, beyond the highest a member stood for (%d)", m, t, now, stood)
                            .isTrue();
                    highest = Math.max(highest, t);
                }
            }
            stood = highest;
            for (String m : names) {
                Election e = nodes.get(m);
                if (e == null || e.role() != Election.Role.LEADER) {
                    continue; // caretakers (leaders outside their membership) count here: a term has one of either
                }
                leaders.add(m);
                String before = leaderOfTerm.putIfAbsent(e.term(), m);
                if (before == null) {
                    elected++;
                }
                assertThat(before)
                        .as("leader of term %d at %d ms", e.term(), now)
                        .isIn(null, m);
            }
            if (leaders.size() > 1) {
                long since = overlapSince < 0 ? (overlapSince = now) : overlapSince;
                assertThat(now - since)
                        .as("leaders %s together since %d ms (now %d)", leaders, since, now)
                        .isLessThanOrEqualTo(MAX + HEARTBEAT + 2 * 20 + 1);
            } else {
                overlapSince = -1;
            }
        }
    }
}
