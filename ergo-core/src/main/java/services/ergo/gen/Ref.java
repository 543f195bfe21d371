package services.ergo.gen;

/** A reference unique within a node's lifetime: it names a call, a monitor, a timer or an event token. */
public record Ref(String node, long id, long creation) {
    @Override
    public String toString() {
        return "Ref#<" + node + "." + id + "." + creation + ">";
    }
}
