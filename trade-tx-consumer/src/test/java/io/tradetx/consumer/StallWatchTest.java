package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the consumer counts as stalled: work waiting and nothing moving for the limit. */
class StallWatchTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aBatchWithoutProgressStallsAndProgressRestartsTheClock() {
        StallWatch w = new StallWatch(Duration.ofSeconds(10));
        w.batchRunning(0);
        assertThat(w.isStalled(9 * S)).isFalse();
        w.progressed(9 * S); // a sink write succeeded
        assertThat(w.isStalled(15 * S)).isFalse();
        assertThat(w.isStalled(19 * S)).isTrue();
        assertThat(w.stalledNanos(19 * S)).isEqualTo(10 * S);
        w.noBatchRunning();
        assertThat(w.stalledNanos(100 * S)).as("idle is not stalled").isZero();
    }

    @Test
    void pollErrorsAndFailingCommitsCountToo() {
        StallWatch w = new StallWatch(Duration.ofSeconds(10));
        w.pollFailed(0);
        w.pollFailed(5 * S); // the streak started at 0
        assertThat(w.isStalled(10 * S)).isTrue();
        w.pollSucceeded();
        assertThat(w.isStalled(11 * S)).isFalse();
        w.commitFailing(20 * S);
        assertThat(w.stalledNanos(25 * S)).isEqualTo(5 * S);
        w.commitsFine();
        assertThat(w.stalledNanos(40 * S)).isZero();
    }

    @Test
    void backOffDoublesUpToItsCap() {
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(500));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(200));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(400));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
        assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
        b.reset();
        assertThat(b.next()).isEqualTo(Duration.ofMillis(100));
    }
}
