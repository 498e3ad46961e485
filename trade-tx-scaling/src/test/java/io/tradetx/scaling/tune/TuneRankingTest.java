package io.tradetx.scaling.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.Resources;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.PodProfile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationSummary;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the tuner ranks, what it counts as a miss, the Pareto frontier, and a small search with the rate trigger. */
class TuneRankingTest {

    private static final ScaledObjectSpec SEED = ScaledObjectParser.parse(Resources.read("seed-head-scaledobject.yaml"));

    private static SimulationSummary summary(long p99, int reversals, double podMinutes, List<Integer> ready) {
        return new SimulationSummary(10, 1000, p99, p99, 360, 10, podMinutes, reversals, 4, 1000, 1000, podMinutes / 8,
                1, 1, 60, ready);
    }

    private static TuneCandidate candidate(String name, double cost, long p99, double shortfall, boolean others) {
        return new TuneCandidate(SEED.withName(name), 0, summary(p99, 1, cost, List.of()), null, cost, shortfall,
                others);
    }

    @Test
    void configurationsThatMissAreRankedByHowCloseTheyComeNotByCost() {
        List<TuneCandidate> list = new ArrayList<>(List.of(candidate("cheap-far", 10, 90, 1.0, true),
                candidate("costly-close", 100, 50, 0.1, true), candidate("met-costly", 200, 40, 0, true),
                candidate("met-cheap", 150, 44, 0, true)));
        list.sort(Tuner.RANKING);
        assertEquals(List.of("met-cheap", "met-costly", "costly-close", "cheap-far"),
                list.stream().map(c -> c.spec().name()).toList());
    }

    @Test
    void theShortfallIsTheLargestRelativeMiss() {
        TuneGoals goals = new TuneGoals(45, 1, LoadProfile.parse("0x30s,2000x60s"), 20, 60, List.of(0), 75);
        List<Integer> fast = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            fast.add(40);
        }
        SimulationSummary burstOnTime = summary(0, 0, 0, fast);
        assertEquals(0, Tuner.shortfall(summary(45, 1, 75, List.of()), burstOnTime, 75, goals));
        assertEquals(60 / 45.0 - 1, Tuner.shortfall(summary(60, 1, 70, List.of()), burstOnTime, 70, goals), 1e-9);
        assertEquals(1.0, Tuner.shortfall(summary(45, 3, 70, List.of()), burstOnTime, 70, goals), 1e-9);
        assertEquals(80 / 75.0 - 1, Tuner.shortfall(summary(45, 1, 80, List.of()), burstOnTime, 80, goals), 1e-9);
        List<Integer> late = new ArrayList<>(fast);
        late.set(19, 90);
        assertEquals(0.5, Tuner.shortfall(summary(45, 1, 70, List.of()), summary(0, 0, 0, late), 70, goals), 1e-9);
        // Never 20 at once: behind every late configuration, closer with more pods ready.
        assertEquals(10 + 8 / 20.0,
                Tuner.shortfall(summary(45, 1, 70, List.of()), summary(0, 0, 0, fast.subList(0, 12)), 70, goals), 1e-9);
    }

    @Test
    void theParetoFrontierKeepsWhatNothingBeatsOnCostAndAgeAmongThoseMeetingTheOtherGoals() {
        TuneResult r = new TuneResult(List.of(candidate("a", 10, 100, 1, true), candidate("b", 20, 50, 0.2, true),
                candidate("c", 30, 60, 0.3, true), candidate("d", 40, 20, 0, true),
                candidate("flaps", 15, 10, 2, false)), TuneGoals.p99(45));
        assertEquals(List.of("a", "b", "d"), r.paretoFrontier().stream().map(c -> c.spec().name()).toList());
        assertTrue(r.frontierTable().startsWith("Pareto frontier"), r.frontierTable());
    }

    /**
     * The seed's demo with 10 s pods: with the same lag trigger and behavior, adding the ingest-rate trigger holds
     * the pods the rate needs instead of a standing backlog, which lowers the p99 age.
     */
    @Test
    void aSmallSearchWithTheRateTrigger() {
        ScaledObjectSpec base = SEED.withPollingIntervalMillis(30_000).withCooldownPeriodMillis(15_000);
        SimulationInput input = SimulationInput.of(base, LoadProfile.parse("10x60s,1000x300s,0x900s"))
                .withPod(PodProfile.DEFAULT.withTimings(10, 2));
        SearchSpace space = new SearchSpace(List.of(2000L), List.of(), List.of(0), List.of(60),
                List.of(SearchSpace.UP_AGGRESSIVE), List.of(SearchSpace.DOWN_FAST), List.of(), List.of(), List.of(),
                List.of(0.0, 90.0));
        TuneResult r = Tuner.tune(input, space, new TuneGoals(30, 1, LoadProfile.parse("0x30s,2000x600s,0x600s"),
                20, 60, List.of(0, 7), Double.POSITIVE_INFINITY));
        assertEquals(2, r.candidates().size());
        TuneCandidate best = r.best();
        assertNotNull(best.spec().rate(), r.table(2));
        assertTrue(best.slaMet(), r.table(2));
        TuneCandidate lagAlone = r.candidates().get(1);
        assertNull(lagAlone.spec().rate());
        assertFalse(lagAlone.slaMet(), r.table(2));
        assertTrue(lagAlone.summary().p99AgeSeconds() > best.summary().p99AgeSeconds(), r.table(2));
        assertTrue(best.burstReadySeconds(20) <= 60, r.table(2));
        // The written YAML carries both triggers and reads back to the same spec.
        assertEquals(best.spec(), ScaledObjectParser.parse(r.bestYaml()));
        assertTrue(r.bestYaml().contains("- type: prometheus"), r.bestYaml());
    }
}
