package services.ergo.spring.lifecycle;

import java.util.List;
import java.util.Map;

/**
 * What other nodes may start here.
 *
 * @param spawnAllowedNodes per remote-spawnable actor name, the nodes that may spawn it (any when absent or empty)
 * @param applicationStartAllowedNodes per application, the nodes that may start it; an application not listed cannot
 *     be started remotely
 */
public record RemoteAccess(
        Map<String, List<String>> spawnAllowedNodes, Map<String, List<String>> applicationStartAllowedNodes) {

    public RemoteAccess {
        spawnAllowedNodes = spawnAllowedNodes == null ? Map.of() : Map.copyOf(spawnAllowedNodes);
        applicationStartAllowedNodes =
                applicationStartAllowedNodes == null ? Map.of() : Map.copyOf(applicationStartAllowedNodes);
    }

    public static RemoteAccess none() {
        return new RemoteAccess(Map.of(), Map.of());
    }
}
