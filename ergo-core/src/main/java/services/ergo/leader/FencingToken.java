package services.ergo.leader;

import services.ergo.gen.ProcessId;

/**
 * Proof of leadership to attach to writes: the term and who led it. A store that remembers the highest term it
 * accepted and refuses lower ones cannot be written by a deposed leader that has not noticed yet.
 *
 * <pre>{@code
 * FencingToken token = fencingToken().orElseThrow();
 * store.put(key, value, token.term());   // the store rejects a term lower than the last it saw
 * }</pre>
 */
public record FencingToken(long term, ProcessId leader) implements Comparable<FencingToken> {
    @Override
    public int compareTo(FencingToken o) {
        return Long.compare(term, o.term);
    }
}
