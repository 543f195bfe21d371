package services.ergo.benchmark;

/**
 * One number a scenario run produced, with its unit and which way is better. A run prints it as one line,
 * {@code MEASURE <metric> <value> <unit> <higher|lower>}, which the orchestrator reads back.
 */
record Measurement(String metric, double value, String unit, boolean higherIsBetter) {
    static final String PREFIX = "MEASURE ";

    String line() {
        return PREFIX + metric + " " + value + " " + unit + " " + (higherIsBetter ? "higher" : "lower");
    }

    static Measurement parse(String line) {
        String[] p = line.substring(PREFIX.length()).trim().split(" ");
        if (p.length != 4) {
            throw new IllegalArgumentException("not a measurement line: " + line);
        }
        return new Measurement(p[0], Double.parseDouble(p[1]), p[2], p[3].equals("higher"));
    }
}
