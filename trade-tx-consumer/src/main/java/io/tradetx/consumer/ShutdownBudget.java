package io.tradetx.consumer;

import java.time.Duration;

/**
 * How the pod's grace period (SHUTDOWN_GRACE_PERIOD_SECONDS, equal to the Deployment's
 * terminationGracePeriodSeconds) is spent after SIGTERM, so that the process exits before Kubernetes
 * sends SIGKILL, whatever is down:
 *
 * <pre>
 *   grace period G (default 45 s)
 *   = drain            G - 20 s  finish the batch in flight (the worker gives up at its end)
 *   + abandon wait        3 s    the given-up batch's worker returns (it checks every 50 ms between steps)
 *   + final commit        5 s    commitSync of what is stored
 *   + consumer close      5 s    LeaveGroup, so the partitions move now, not after the session timeout
 *   + dead-letter close   2 s    the dead-letter producer (its acknowledged sends are already awaited)
 *   + exit margin         5 s    JVM exit, last log lines, signal delivery
 * </pre>
 *
 * Each step ends at its own absolute deadline counted from SIGTERM, so a step that overruns takes
 * time from nothing after it but its own. With G = 45 the drain is 25 s, which is why one batch
 * (BATCH_PROCESSING_TIME + BATCH_SIZE x MESSAGE_PROCESSING_TIME) must fit in 25 s.
 */
public record ShutdownBudget(Duration gracePeriod) {
    public static final Duration ABANDON_WAIT = Duration.ofSeconds(3);
    public static final Duration FINAL_COMMIT = Duration.ofSeconds(5);
    public static final Duration CONSUMER_CLOSE = Duration.ofSeconds(5);
    public static final Duration DEAD_LETTER_CLOSE = Duration.ofSeconds(2);
    public static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
    /** Everything but the drain. */
    public static final Duration FIXED = ABANDON_WAIT.plus(FINAL_COMMIT).plus(CONSUMER_CLOSE).plus(DEAD_LETTER_CLOSE)
            .plus(EXIT_MARGIN);
    /** The smallest grace period that still leaves a 5 s drain. */
    public static final Duration MIN_GRACE_PERIOD = FIXED.plusSeconds(5);

    public ShutdownBudget {
        if (gracePeriod.compareTo(MIN_GRACE_PERIOD) < 0) {
            throw new IllegalArgumentException("grace period " + gracePeriod + " is below " + MIN_GRACE_PERIOD);
        }
    }

    /** Time to finish the batch in flight after SIGTERM. */
    public Duration drain() {
        return gracePeriod.minus(FIXED);
    }

    /** The absolute deadlines (System.nanoTime) of each step for a stop requested at {@code start}. */
    public Deadlines from(long start) {
        long drainEnd = start + drain().toNanos();
        long abandonEnd = drainEnd + ABANDON_WAIT.toNanos();
        long commitEnd = abandonEnd + FINAL_COMMIT.toNanos();
        long closeEnd = commitEnd + CONSUMER_CLOSE.toNanos();
        long deadLetterEnd = closeEnd + DEAD_LETTER_CLOSE.toNanos();
        return new Deadlines(drainEnd, abandonEnd, commitEnd, closeEnd, deadLetterEnd,
                start + gracePeriod.minus(EXIT_MARGIN).toNanos());
    }

    /** Absolute System.nanoTime deadlines of the shutdown steps. */
    public record Deadlines(long drainEnd, long abandonEnd, long commitEnd, long closeEnd, long deadLetterEnd,
                            long exitBy) {
    }

    /**
     * How long a revocation waits for the batch in flight before giving it up: half of
     * max.poll.interval.ms, because the wait runs inside poll() and the member must poll again (sync
     * commit included) before that interval, or it is removed from the group and its partitions are lost.
     */
    public static Duration revokeWait(Duration maxPollInterval) {
        return maxPollInterval.dividedBy(2);
    }
}
