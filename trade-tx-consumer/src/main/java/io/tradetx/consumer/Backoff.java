package io.tradetx.consumer;

import java.time.Duration;

/** Capped exponential back-off: the first delay, doubling after each failure, never above the cap. */
final class Backoff {
    private final long firstNanos;
    private final long maxNanos;
    private long nextNanos;

    Backoff(Duration first, Duration max) {
        this.firstNanos = first.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = firstNanos;
    }

    /** The delay before the next attempt; each call doubles the one after, up to the cap. */
    Duration next() {
        long d = nextNanos;
        nextNanos = Math.min(maxNanos, nextNanos * 2);
        return Duration.ofNanos(d);
    }

    void reset() {
        nextNanos = firstNanos;
    }
}
