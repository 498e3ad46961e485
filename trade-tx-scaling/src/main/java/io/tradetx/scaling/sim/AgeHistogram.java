package io.tradetx.scaling.sim;

import java.util.Arrays;

/** Counts messages by whole seconds spent in Kafka, for the max and percentiles of message age. */
final class AgeHistogram {

    private long[] counts = new long[64];
    private long total;

    void add(long ageSeconds, long count) {
        if (count <= 0) {
            return;
        }
        int age = (int) Math.max(0, ageSeconds);
        if (age >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(age + 1, counts.length * 2));
        }
        counts[age] += count;
        total += count;
    }

    long total() {
        return total;
    }

    long max() {
        for (int a = counts.length - 1; a >= 0; a--) {
            if (counts[a] > 0) {
                return a;
            }
        }
        return 0;
    }

    /** The smallest age that at least {@code q} of the messages did not exceed. */
    long quantile(double q) {
        long need = (long) Math.ceil(q * total);
        long seen = 0;
        for (int a = 0; a < counts.length; a++) {
            seen += counts[a];
            if (seen >= need && seen > 0) {
                return a;
            }
        }
        return 0;
    }
}
