package io.tradetx.lab.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The stall measure: records waiting and no committed progress, outside the excused windows. */
class PartitionStallsTest {
    private static final long S = 1_000_000_000L;

    @Test
    void aPartitionWithRecordsWaitingAndNoProgressIsStalledUntilItMoves() {
        PartitionStalls s = new PartitionStalls();
        s.sample(0, 0, 100, 50);
        s.sample(4 * S, 0, 100, 80);
        assertThat(s.longestSeconds()).as("open stall, to the last sample").isCloseTo(4.0, within(1e-9));
        s.sample(7 * S, 0, 130, 50);
        s.sample(8 * S, 0, 160, 20);
        assertThat(s.longestSeconds()).isCloseTo(7.0, within(1e-9));
    }

    @Test
    void noLagIsNoStallAndEachPartitionCountsAlone() {
        PartitionStalls s = new PartitionStalls();
        for (int t = 0; t <= 10; t++) {
            s.sample(t * S, 0, 100, 0); // idle: nothing waiting
            s.sample(t * S, 1, 10L * t, 5); // busy and moving
            s.sample(t * S, 2, t < 3 ? 0 : 7, 5); // stuck from 3 s on
        }
        assertThat(s.longestSeconds()).isCloseTo(7.0, within(1e-9));
    }

    @Test
    void timeInsideAnExcusedWindowDoesNotCountTheRecoveryAfterItDoes() {
        PartitionStalls s = new PartitionStalls();
        s.sample(0, 0, 100, 10);
        s.beginExcuse(1 * S);
        s.sample(5 * S, 0, 100, 10);
        assertThat(s.longestSeconds()).as("only the second before the outage").isCloseTo(1.0, within(1e-9));
        s.endExcuse(21 * S);
        s.sample(30 * S, 0, 100, 10);
        s.sample(31 * S, 0, 110, 0);
        assertThat(s.longestSeconds()).as("1 s before + 10 s of recovery").isCloseTo(11.0, within(1e-9));
    }
}
