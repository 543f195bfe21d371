package services.ergo.benchmark;

import java.util.List;

/**
 * One run of one scenario on one side, in its own JVM: {@code Main <ours|pekko> <scenario> <full|smoke>}. Prints one
 * {@code MEASURE} line per number it measured.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Main <ours|pekko> <scenario> <full|smoke> [peer arguments…]");
            System.exit(2);
        }
        Side side = switch (args[0]) {
            case "ours" -> new OursSide();
            case "pekko" -> new PekkoSide();
            default -> throw new IllegalArgumentException("side must be ours or pekko, got " + args[0]);
        };
        Side.Sizes sizes = args[2].equals("smoke") ? Side.Sizes.SMOKE : Side.Sizes.FULL;
        String scenario = args[1];
        if (scenario.endsWith("-peer")) {
            String base = scenario.substring(0, scenario.length() - "-peer".length());
            if (base.startsWith("etcd-")) {
                EtcdBench.peer(args[0], args[3]);
            } else if (base.startsWith("leader-")) {
                FailoverBench.peer(args[0], java.util.Arrays.copyOfRange(args, 3, args.length));
            } else if (args[0].equals("ours")) {
                OursNetwork.peer(base);
            } else {
                PekkoNetwork.peer(base);
            }
            return;
        }
        List<Measurement> results = scenario.startsWith("leader-")
                ? FailoverBench.run(args[0], args[2].equals("smoke"))
                : scenario.startsWith("etcd-")
                        ? EtcdBench.run(args[0], scenario, args[2].equals("smoke"))
                        : scenario.startsWith("network-")
                                ? (args[0].equals("ours")
                                        ? OursNetwork.run(scenario, sizes, args[2])
                                        : PekkoNetwork.run(scenario, sizes, args[2]))
                                : side.run(scenario, sizes);
        for (Measurement m : results) {
            System.out.println(m.line());
        }
        System.exit(0);
    }
}
