package io.tradetx.consumer;

import java.time.Duration;

/**
 * Decides whether the consumer is stalled: work is waiting and nothing has moved for longer than
 * SINK_STALL_SECONDS. Three things count: a batch running without progress (sink or dead-letter
 * retries, a hung call), poll() failing, and offset commits failing while stored records wait for
 * them. Times are System.nanoTime values passed in; fields are volatile because the worker reports
 * progress while the poll thread and the HTTP thread read.
 */
final class StallWatch {
    private static final long NONE = Long.MIN_VALUE;
    private final long limitNanos;
    private volatile long batchSince = NONE;
    private volatile long pollFailingSince = NONE;
    private volatile long commitFailingSince = NONE;

    StallWatch(Duration limit) {
        this.limitNanos = limit.toNanos();
    }

    /** A batch is running (or a given-up one has not returned); starts the clock if it is not running. */
    void batchRunning(long now) {
        if (batchSince == NONE) {
            batchSince = now;
        }
    }

    /** A sink write or dead-letter publish succeeded, or a batch finished: the clock restarts. */
    void progressed(long now) {
        if (batchSince != NONE) {
            batchSince = now;
        }
    }

    void noBatchRunning() {
        batchSince = NONE;
    }

    void pollFailed(long now) {
        if (pollFailingSince == NONE) {
            pollFailingSince = now;
        }
    }

    void pollSucceeded() {
        pollFailingSince = NONE;
    }

    void commitFailing(long now) {
        if (commitFailingSince == NONE) {
            commitFailingSince = now;
        }
    }

    void commitsFine() {
        commitFailingSince = NONE;
    }

    /** How long the longest of the three has gone without progress; 0 when nothing waits. */
    long stalledNanos(long now) {
        long longest = 0;
        for (long since : new long[] {batchSince, pollFailingSince, commitFailingSince}) {
            if (since != NONE) {
                longest = Math.max(longest, now - since);
            }
        }
        return longest;
    }

    boolean isStalled(long now) {
        return stalledNanos(now) >= limitNanos;
    }
}
