package io.tradetx.lab.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The longest stall of a group, from samples of each partition's committed offset and lag: a
 * partition is stalled while records wait (lag above 0) and its committed offset does not move. Time
 * inside an excused window (a fault injected on purpose: the sink or the broker down) does not count;
 * the time it takes to recover afterwards does. No clock, no Kafka: the chaos run feeds it.
 */
final class PartitionStalls {
    /** A partition's open stall: since when nothing moved, at what committed offset. */
    private record Open(long sinceNanos, long committed) {
    }

    private final Map<Integer, Open> open = new HashMap<>();
    private final Map<Integer, Long> lastCommitted = new HashMap<>();
    private final List<long[]> excused = new ArrayList<>();
    private long excusedFrom = -1;
    private long lastSampleNanos;
    private long longestNanos;

    /** One partition's state at a time; samples come in time order. */
    void sample(long nanos, int partition, long committed, long lag) {
        lastSampleNanos = Math.max(lastSampleNanos, nanos);
        Long before = lastCommitted.put(partition, committed);
        Open o = open.get(partition);
        boolean moved = before != null && committed != before;
        if (lag <= 0 || moved) {
            if (o != null) {
                record(o.sinceNanos(), nanos);
            }
            open.put(partition, lag <= 0 ? null : new Open(nanos, committed));
        } else if (o == null) {
            open.put(partition, new Open(nanos, committed));
        }
    }

    /** From now on the stall is expected (until {@link #endExcuse}). */
    void beginExcuse(long nanos) {
        if (excusedFrom < 0) {
            excusedFrom = nanos;
        }
    }

    void endExcuse(long nanos) {
        if (excusedFrom >= 0) {
            excused.add(new long[] {excusedFrom, nanos});
            excusedFrom = -1;
        }
    }

    /** The longest stall so far, open ones measured to the last sample, in seconds. */
    double longestSeconds() {
        long longest = longestNanos;
        for (Open o : open.values()) {
            if (o != null) {
                longest = Math.max(longest, unexcused(o.sinceNanos(), lastSampleNanos));
            }
        }
        return longest / 1e9;
    }

    private void record(long from, long to) {
        longestNanos = Math.max(longestNanos, unexcused(from, to));
    }

    private long unexcused(long from, long to) {
        long length = to - from;
        List<long[]> windows = new ArrayList<>(excused);
        if (excusedFrom >= 0) {
            windows.add(new long[] {excusedFrom, Long.MAX_VALUE});
        }
        for (long[] w : windows) {
            length -= Math.max(0, Math.min(to, w[1]) - Math.max(from, w[0]));
        }
        return Math.max(0, length);
    }
}
