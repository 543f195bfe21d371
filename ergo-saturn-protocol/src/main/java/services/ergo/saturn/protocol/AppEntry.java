package services.ergo.saturn.protocol;

/**
 * One application on a node, as the wire carries it. Mode and state are the wire's codes, fixed forever (a
 * new mode or state gets a new code and a feature): mode 0 temporary, 1 transient, 2 permanent; state 0 loaded,
 * 1 running, 2 stopping.
 *
 * <pre>{@code
 * AppEntry worker = new AppEntry("worker", 100, 0, 1); // weight 100, temporary, running
 * }</pre>
 */
public record AppEntry(String name, int weight, int mode, int state) {
    public AppEntry {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an application entry needs a name");
        }
        if (weight < 0) {
            throw new IllegalArgumentException("an application's weight must be >= 0, got " + weight);
        }
        if (mode < 0 || mode > 2) {
            throw new IllegalArgumentException("application mode code must be 0..2, got " + mode);
        }
        if (state < 0 || state > 2) {
            throw new IllegalArgumentException("application state code must be 0..2, got " + state);
        }
    }
}
