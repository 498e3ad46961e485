package io.tradetx.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The absolute schedule: no drift however late the sender wakes (within a second), clean re-anchoring
 * on a rate change, and after a stall a fresh start instead of a burst of the backlog.
 */
class RateScheduleTest {
    private static final long S = 1_000_000_000L;

    @Test
    void dueCountFollowsTheClockNotTheWakeUps() {
        RateSchedule s = new RateSchedule(0, 10);
        assertEquals(0, s.dueBy(99_999_999L));
        assertEquals(1, s.dueBy(100_000_000L));
        // Waking late (after 5.05 s) still owes exactly 50 messages: no drift accumulates.
        assertEquals(50, s.dueBy(5 * S + 50_000_000L));
        assertEquals(100_000_000L, s.dueAt(1));
        assertEquals(5 * S, s.dueAt(50));
    }

    @Test
    void highRatesOweWholeBatchesPerTick() {
        RateSchedule s = new RateSchedule(0, 50_000);
        assertEquals(50, s.dueBy(1_000_000L));
        assertEquals(1_500_000, s.dueBy(30 * S));
    }

    @Test
    void aRateChangeReanchorsAtTheCurrentCount() {
        RateSchedule s = new RateSchedule(0, 10);
        s.reset(2 * S, 20, 1000);
        assertEquals(20, s.dueBy(2 * S));
        assertEquals(1020, s.dueBy(3 * S));
        s.reset(3 * S, 1020, 0);
        assertEquals(1020, s.dueBy(100 * S));
    }

    @Test
    void aStallRestartsTheScheduleInsteadOfSendingTheBacklogBackToBack() {
        RateSchedule s = new RateSchedule(0, 1000);
        assertEquals(0, s.skipBacklog(S, 1000), "on schedule");
        // The broker was away for 10 s: 10,000 messages are owed.
        assertEquals(10_000, s.skipBacklog(11 * S, 1000));
        assertEquals(1000, s.dueBy(11 * S), "nothing owed right after the stall");
        assertEquals(2000, s.dueBy(12 * S), "then the target rate again");
    }

    @Test
    void lateWakeUpsWithinASecondAreStillMadeUp() {
        RateSchedule s = new RateSchedule(0, 10);
        assertEquals(0, s.skipBacklog(S, 0), "10 owed = one second's worth: made up");
        assertEquals(10, s.dueBy(S));
        assertEquals(11, s.skipBacklog(S + 100_000_000L, 0), "11 owed: a stall");
        assertEquals(1, new RateSchedule(0, 0.5).maxCatchUp(), "at least one message per wake-up");
    }
}
