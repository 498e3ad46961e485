package io.tradetx.producer;

/**
 * An absolute send schedule: message n is due at anchor + n / rate, so sleeping late never makes the
 * rate drift; a rate change re-anchors at the current time and count, and so does a stall: a sender
 * that owes more than {@link #MAX_CATCH_UP_SECONDS} of messages (broker down, buffer full) starts the
 * schedule again from now instead of firing the whole backlog back to back.
 */
final class RateSchedule {
    private static final double NANOS_PER_SECOND = 1e9;
    /** Lateness the schedule still makes up (scheduler jitter, a GC pause); beyond it, a stall. */
    static final double MAX_CATCH_UP_SECONDS = 1.0;
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

    /** The most messages one wake-up may owe: a second's worth, at least one. */
    long maxCatchUp() {
        return Math.max(1, (long) Math.ceil(rate * MAX_CATCH_UP_SECONDS));
    }

    /**
     * Call at each wake-up before sending what is due: if the sender owes more than
     * {@link #maxCatchUp()} messages, the schedule restarts at this time and count, and the number
     * of messages left out is returned (0 when on schedule).
     */
    long skipBacklog(long nowNanos, long sentSoFar) {
        long owed = dueBy(nowNanos) - sentSoFar;
        if (rate <= 0 || owed <= maxCatchUp()) {
            return 0;
        }
        reset(nowNanos, sentSoFar, rate);
        return owed;
    }
}
