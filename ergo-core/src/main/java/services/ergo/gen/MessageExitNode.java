package services.ergo.gen;

/** The connection to a linked node was lost. */
public record MessageExitNode(String node, Reason reason) implements MessageExit {}
