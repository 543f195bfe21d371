package services.ergo.gen;

/**
 * A temporary extra address of a process, made with {@link Process#createAlias()}; messages to it reach the
 * process until the alias is deleted or the process ends.
 */
public record Alias(String node, long id, long creation) {
    @Override
    public String toString() {
        return "Alias#<" + node + "." + id + "." + creation + ">";
    }
}
