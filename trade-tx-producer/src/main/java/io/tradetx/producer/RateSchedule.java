package io.tradetx.producer;

/**
 * An absolute send schedule: message n is due at anchor + n / rate, so sleeping late never makes the
 * rate drift; a rate change re-anchors at the current time and count.
 */
final class RateSchedule {
    private static final double NANOS_PER_SECOND = 1e9;
    private long anchorNanos;
    private long anchorCount;
    private double rate;

    RateSchedule(long nowNanos, double rate) {
        reset(nowNanos, 0, rate);
    }

    void reset(long nowNanos, long countSoFar, double newRate) {
        this.anchorNanos = nowNanos;
        this.anchorCount = countSoFar;
        this.rate = newRate;
    }

    double rate() {
        return rate;
    }

    /** How many messages should have been sent by this time since the schedule began. */
    long dueBy(long nowNanos) {
        if (rate <= 0) {
            return anchorCount;
        }
        return anchorCount + (long) Math.floor((nowNanos - anchorNanos) * rate / NANOS_PER_SECOND);
    }

    /** When the message with this 1-based count becomes due. */
    long dueAt(long count) {
        return anchorNanos + (long) Math.ceil((count - anchorCount) * NANOS_PER_SECOND / rate);
    }
}
