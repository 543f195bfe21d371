package services.ergo.saturn.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a {@link SaturnServer} counts, for metrics and tests: each field only grows.
 *
 * <pre>{@code
 * long refused = server.counters().refusedFrames.get();
 * }</pre>
 */
public final class SaturnCounters {
    /** Connections closed for bytes that break the wire (a frame over the cap, a malformed message). */
    public final AtomicLong refusedFrames = new AtomicLong();
    /** Registrations whose token proof did not verify, or that named an unknown cluster. */
    public final AtomicLong badProofs = new AtomicLong();
    /** Registrations refused because their token may not claim the name. */
    public final AtomicLong namesRefused = new AtomicLong();
    /** Registered clients disconnected because a reload revoked their token or the names it allows. */
    public final AtomicLong revoked = new AtomicLong();
    /** Registrations refused because another live session holds the name. */
    public final AtomicLong namesTaken = new AtomicLong();
    /** Sessions taken over by the same node (same incarnation) on a new connection. */
    public final AtomicLong reclaims = new AtomicLong();
    /** Registrations refused as busy (over the admitted rate), each told when to retry. */
    public final AtomicLong busy = new AtomicLong();
    /** Registrations admitted. */
    public final AtomicLong registrations = new AtomicLong();
    /** Clients that resumed from their revision with deltas. */
    public final AtomicLong resumes = new AtomicLong();
    /** Snapshots started (first loads and resyncs). */
    public final AtomicLong snapshots = new AtomicLong();
    /** Snapshots started because a client fell out of the history (it could not keep up, or came back late). */
    public final AtomicLong resyncs = new AtomicLong();
    /** Delta frames written (one per client per round, whatever the number of changes it carries). */
    public final AtomicLong deltaFrames = new AtomicLong();
    /**
     * Delta frames built: once for all the clients that a round finds at the same revision, so far fewer than
     * {@link #deltaFrames} when the clients keep up.
     */
    public final AtomicLong deltaFramesBuilt = new AtomicLong();
    /** Changes encoded (once each, however many clients receive them). */
    public final AtomicLong changesEncoded = new AtomicLong();
    /** Nodes removed because their connection stayed silent past the TTL. */
    public final AtomicLong expired = new AtomicLong();
    /** Reloads of {@code saturn.yaml} put in force (whether they changed anything or not). */
    public final AtomicLong configReloads = new AtomicLong();
    /** Reloads of {@code saturn.yaml} refused (a bad file): the configuration in force stayed. */
    public final AtomicLong configReloadFailures = new AtomicLong();
}
