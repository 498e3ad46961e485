package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The budget arithmetic of SHUTDOWN_GRACE_PERIOD_SECONDS and the revoke wait. */
class ShutdownBudgetTest {

    @Test
    void theDefaultGracePeriodLeavesA25SecondDrainAndEndsFiveSecondsEarly() {
        ShutdownBudget b = new ShutdownBudget(Duration.ofSeconds(45));
        assertThat(b.drain()).isEqualTo(Duration.ofSeconds(25));
        ShutdownBudget.Deadlines d = b.from(0);
        assertThat(d.drainEnd()).isEqualTo(Duration.ofSeconds(25).toNanos());
        assertThat(d.abandonEnd()).isEqualTo(Duration.ofSeconds(28).toNanos());
        assertThat(d.commitEnd()).isEqualTo(Duration.ofSeconds(33).toNanos());
        assertThat(d.closeEnd()).isEqualTo(Duration.ofSeconds(38).toNanos());
        assertThat(d.deadLetterEnd()).isEqualTo(Duration.ofSeconds(40).toNanos());
        assertThat(d.exitBy()).isEqualTo(Duration.ofSeconds(40).toNanos());
    }

    @Test
    void everyStepEndsBeforeTheGracePeriodWhateverItsLength() {
        for (int g = 25; g <= 600; g += 5) {
            ShutdownBudget.Deadlines d = new ShutdownBudget(Duration.ofSeconds(g)).from(1_000);
            assertThat(d.drainEnd()).isLessThan(d.abandonEnd());
            assertThat(d.deadLetterEnd()).isLessThanOrEqualTo(d.exitBy());
            assertThat(d.exitBy() - 1_000).isLessThanOrEqualTo(Duration.ofSeconds(g).minus(ShutdownBudget.EXIT_MARGIN).toNanos());
        }
    }

    @Test
    void aGracePeriodTooShortForAFiveSecondDrainIsRefused() {
        assertThat(ShutdownBudget.MIN_GRACE_PERIOD).isEqualTo(Duration.ofSeconds(25))
                .isEqualTo(Duration.ofSeconds(ConsumerSettings.MIN_SHUTDOWN_GRACE_PERIOD_SECONDS));
        assertThatThrownBy(() -> new ShutdownBudget(Duration.ofSeconds(24))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRevokeWaitIsHalfOfMaxPollInterval() {
        assertThat(ShutdownBudget.revokeWait(Duration.ofSeconds(60))).isEqualTo(Duration.ofSeconds(30));
    }
}
