package io.tradetx.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The schedule over random wake-up sequences, as the send loop drives it (skip a backlog, then send
 * everything due): no wake-up ever sends more than a second's worth, and without stalls the count
 * never drifts from rate x elapsed time.
 */
class RateSchedulePropertiesTest {
    private static final long MS = 1_000_000L;

    @Property(tries = 500)
    void noWakeUpSendsMoreThanASecondsWorth(@ForAll @IntRange(min = 1, max = 50_000) int rate,
                                            @ForAll("gapsWithStalls") List<Long> gaps) {
        drive(rate, gaps, (s, now, skipped, burst) -> assertThat(burst).isBetween(0L, s.maxCatchUp()));
    }

    @Property(tries = 500)
    void withoutStallsTheCountFollowsTheClock(@ForAll @IntRange(min = 1, max = 50_000) int rate,
                                              @ForAll("jitteryGaps") List<Long> gaps) {
        drive(rate, gaps, (s, now, skipped, burst) -> {
            assertThat(skipped).isZero();
            assertThat(s.dueBy(now)).isEqualTo((long) Math.floor(now * (double) rate / 1e9));
        });
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
    @Provide
    Arbitrary<List<Long>> gapsWithStalls() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(20, Arbitraries.longs().between(0, 120 * MS)),
                        net.jqwik.api.Tuple.of(1, Arbitraries.longs().between(1000 * MS, 60_000 * MS)))
                .list().ofMaxSize(200);
    }

    /** Late wake-ups, but the sender never falls a second behind. */
    @Provide
    Arbitrary<List<Long>> jitteryGaps() {
        return Arbitraries.longs().between(0, 999 * MS).list().ofMaxSize(200);
    }
}
