package services.ergo.benchmark;

/**
 * One run of one scenario on one side, in its own JVM: {@code Main <ours|pekko> <scenario> <full|smoke>}. Prints one
 * {@code MEASURE} line per number it measured.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: Main <ours|pekko> <scenario> <full|smoke>");
            System.exit(2);
        }
        Side side = switch (args[0]) {
            case "ours" -> new OursSide();
            case "pekko" -> new PekkoSide();
            default -> throw new IllegalArgumentException("side must be ours or pekko, got " + args[0]);
        };
        Side.Sizes sizes = args[2].equals("smoke") ? Side.Sizes.SMOKE : Side.Sizes.FULL;
        for (Measurement m : side.run(args[1], sizes)) {
            System.out.println(m.line());
        }
        System.exit(0);
    }
}
