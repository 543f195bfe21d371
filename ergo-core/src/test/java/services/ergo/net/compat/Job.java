package services.ergo.net.compat;

import java.util.List;

/**
 * The message type of {@link services.ergo.net.WireCompatibilityTest}, on the new node's side. The old node has its
 * own copy, compiled from the test's source against the old jar: the payload codec names types by class name, so
 * the two copies must keep this name.
 */
public record Job(long id, String text, List<String> tags) {}
