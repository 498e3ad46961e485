package io.tradetx.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The schedule over random wake-up sequences, as the send loop drives it (skip a backlog, then send
 * everything due): no wake-up ever sends more than a second's worth, and without stalls the count
 * never drifts from rate x elapsed time.
 */
class RateSchedulePropertiesTest {
    private static final long MS = 1_000_000L;

    @Test
    void noWakeUpSendsMoreThanASecondsWorth() {
        qt().withExamples(500).forAll(integers().between(1, 50_000), gapsWithStalls()).checkAssert((rate, gaps) ->
                drive(rate, gaps, (s, now, skipped, burst) -> assertThat(burst).isBetween(0L, s.maxCatchUp())));
    }

    @Test
    void withoutStallsTheCountFollowsTheClock() {
        qt().withExamples(500).forAll(integers().between(1, 50_000), jitteryGaps()).checkAssert((rate, gaps) ->
                drive(rate, gaps, (s, now, skipped, burst) -> {
                    assertThat(skipped).isZero();
                    assertThat(s.dueBy(now)).isEqualTo((long) Math.floor(now * (double) rate / 1e9));
                }));
    }

    /** What one wake-up of the send loop saw. */
    private interface WakeUp {
        void check(RateSchedule s, long now, long skipped, long burst);
    }

    /** The send loop's use of the schedule: at each wake-up skip a backlog, then send everything due. */
    private static void drive(int rate, List<Long> gaps, WakeUp check) {
        RateSchedule s = new RateSchedule(0, rate);
        long now = 0;
        long sent = 0;
        for (long gap : gaps) {
            now += gap;
            long skipped = s.skipBacklog(now, sent);
            long burst = s.dueBy(now) - sent;
            check.check(s, now, skipped, burst);
            sent += burst;
        }
    }

    /** Wake-ups 0-120 ms apart (the loop sleeps at most 100 ms), now and then a stall of 1-60 s. */
    static Gen<List<Long>> gapsWithStalls() {
        return lists().of(Generate.frequency(List.of(Pair.of(20, longs().between(0, 120 * MS)),
                Pair.of(1, longs().between(1000 * MS, 60_000 * MS))))).ofSizeBetween(0, 200);
    }

    /** Late wake-ups, but the sender never falls a second behind. */
    static Gen<List<Long>> jitteryGaps() {
        return lists().of(longs().between(0, 999 * MS)).ofSizeBetween(0, 200);
    }
}
