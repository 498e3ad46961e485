package io.tradetx.local.tenant;

import java.util.Arrays;

/**
 * Counts message ages (store time minus the record's timestamp) in 10 ms steps, for percentiles that the
 * consumer's coarse {@code kafka_message_age_seconds} buckets (1, 2, 5, 10 s ...) cannot resolve. Not thread-safe.
 */
public final class AgeSamples {
    static final int STEP_MILLIS = 10;
    private long[] counts = new long[1024];
    private long total;

    /** Adds {@code n} messages of age {@code ageMillis} (a negative age, from clock skew, counts as 0). */
    public void add(long ageMillis, long n) {
        if (n <= 0) {
            return;
        }
        int step = (int) Math.min(Integer.MAX_VALUE - 1, Math.max(0, ageMillis) / STEP_MILLIS);
        if (step >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(step + 1, counts.length * 2));
        }
        counts[step] += n;
        total += n;
    }

    public long count() {
        return total;
    }

    /** The age at or below which {@code q} of the messages were stored (the upper edge of its 10 ms step); -1 when empty. */
    public long quantileMillis(double q) {
        if (total == 0) {
            return -1;
        }
        long need = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= need) {
                return (i + 1L) * STEP_MILLIS;
            }
        }
        throw new IllegalStateException("counts do not add up to " + total);
    }

    /** The upper edge of the oldest message's step; -1 when empty. */
    public long maxMillis() {
        return total == 0 ? -1 : quantileMillis(1.0);
    }

    AgeSamples copy() {
        AgeSamples c = new AgeSamples();
        c.counts = counts.clone();
        c.total = total;
        return c;
    }
}
