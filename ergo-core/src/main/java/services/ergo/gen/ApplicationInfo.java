package services.ergo.gen;

import java.util.List;
import java.util.Map;

/** A snapshot of an application. */
public record ApplicationInfo(
        String name,
        String description,
        String version,
        List<String> depends,
        Map<String, Object> env,
        List<Pid> group,
        ApplicationMode mode,
        ApplicationState state,
        int weight,
        long uptimeMillis) {}
