package services.ergo.gen;

/** The connection to a monitored node was lost. */
public record MessageDownNode(String node, Ref ref, Reason reason) implements MessageDown {}
