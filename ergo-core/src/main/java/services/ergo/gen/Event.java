package services.ergo.gen;

/**
 * A named event on a node. Its producer registers it and publishes to it; other processes link or monitor it
 * and receive what is published through {@code handleEvent}.
 */
public record Event(String name, String node) {
    public Event {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("an event needs a name");
        }
    }

    @Override
    public String toString() {
        return "Event<" + name + "@" + node + ">";
    }
}
