package io.tradetx.local.tenant;

import java.util.HashMap;
import java.util.Map;

/**
 * One tenant's message ages at store time, kept per phase of a scenario (e.g. before and during another tenant's
 * burst); ages stored outside a phase are not kept. Safe for the consumers' threads and the scenario's.
 */
public final class MessageAges {
    private final Map<String, AgeSamples> phases = new HashMap<>();
    private AgeSamples current;

    /** From now on ages go to {@code phase} (added to what it has); null stops keeping them. */
    public synchronized void phase(String phase) {
        current = phase == null ? null : phases.computeIfAbsent(phase, p -> new AgeSamples());
    }

    /** Messages stored at {@code nowMillis} with these record timestamps. */
    public synchronized void stored(long nowMillis, long[] recordTimestamps) {
        if (current != null) {
            for (long ts : recordTimestamps) {
                current.add(nowMillis - ts, 1);
            }
        }
    }

    /** A copy of what {@code phase} holds (empty if it never ran). */
    public synchronized AgeSamples samples(String phase) {
        AgeSamples s = phases.get(phase);
        return s == null ? new AgeSamples() : s.copy();
    }
}
