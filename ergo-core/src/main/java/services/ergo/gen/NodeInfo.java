package services.ergo.gen;

/** Node totals, cheap to read every second. */
public record NodeInfo(
        String name,
        long creation,
        long uptimeMillis,
        long processesTotal,
        long processesRunning,
        long processesSpawned,
        long processesTerminated,
        long applicationsTotal,
        long applicationsRunning,
        long eventsTotal,
        long eventsPublished,
        int schedulerThreads,
        long memoryUsedBytes,
        long memoryAllocBytes,
        long sendErrors,
        long callErrors) {}
