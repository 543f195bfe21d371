package services.ergo.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import services.ergo.gen.ProcessId;
import services.ergo.leader.LeaderOptions;
import services.ergo.spring.autoconfigure.PropertyProblems.Property;

/** {@code ergo.leader.groups.<id>.*} onto {@link LeaderOptions}, one per group. */
final class LeaderOptionsMapper {

    private LeaderOptionsMapper() {}

    /** @throws RuntimeException listing every property refused, of every group ({@link PropertyProblems#throwIfAny()}) */
    static Map<String, LeaderOptions> map(Map<String, ErgoLeaderProperties.Group> groups) {
        PropertyProblems problems = new PropertyProblems();
        Map<String, LeaderOptions> options = map(groups, problems);
        problems.throwIfAny();
        return options;
    }

    /** Applies every property of every group; what the core refuses goes to {@code problems}. */
    static Map<String, LeaderOptions> map(Map<String, ErgoLeaderProperties.Group> groups, PropertyProblems problems) {
        Map<String, LeaderOptions> options = new LinkedHashMap<>();
        groups.forEach((id, group) -> options.put(id, map(id, group, problems)));
        return options;
    }

    private static LeaderOptions map(String id, ErgoLeaderProperties.Group g, PropertyProblems problems) {
        String prefix = "ergo.leader.groups." + id + ".";
        // the group's id names its directory: refused, a stand-in keeps the other properties checked
        LeaderOptions base = problems.get("ergo.leader.groups." + id, id, () -> LeaderOptions.of(id));
        String valid = base == null ? "refused" : id;
        if (base == null) {
            base = LeaderOptions.of(valid);
        }
        List<ProcessId> peers = new ArrayList<>();
        for (String peer : g.getPeers() == null ? List.<String>of() : g.getPeers()) {
            ProcessId parsed = problems.get(prefix + "peers", peer, () -> {
                ProcessId p = ProcessId.parse(peer.trim());
                LeaderOptions.of(valid, p); // the core's rule for a member's name, per peer
                return p;
            });
            if (parsed != null) {
                peers.add(parsed);
            }
        }
        // refused, a group of one stands in, so that the properties after it are still checked
        LeaderOptions o = problems.apply(base, prefix + "peers", g.getPeers(), x -> LeaderOptions.group(valid, peers));
        Duration min = g.getElectionTimeoutMin();
        Duration max = g.getElectionTimeoutMax();
        Duration beat = g.getHeartbeat();
        o = problems.apply(
                o,
                x -> x.withTimeouts(min, max, beat),
                new Property("heartbeat", prefix + "heartbeat", beat),
                new Property("electionMin", prefix + "election-timeout-min", min),
                new Property("electionMax", prefix + "election-timeout-max", max));
        ErgoLeaderProperties.Discovery discovery = g.getDiscovery();
        if (discovery.getApplication() != null) {
            o = problems.apply(
                    o,
                    x -> x.withDiscovery(discovery.getApplication(), discovery.getRemoveAfter()),
                    new Property("discoveryApplication", prefix + "discovery.application", discovery.getApplication()),
                    new Property("removeAfter", prefix + "discovery.remove-after", discovery.getRemoveAfter()));
        }
        if (g.getStateDirectory() != null) {
            o = o.withStateDirectory(g.getStateDirectory());
        }
        boolean joins = g.isAcceptJoins();
        o = o.withAcceptJoins(joins);
        List<String> operators = g.getOperators() == null
                ? List.of()
                : g.getOperators().stream().map(String::trim).toList();
        o = problems.apply(o, prefix + "operators", g.getOperators(), x -> x.withOperators(operators));
        return o;
    }
}
