package io.tradetx.scaling.tune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.Resources;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.PodProfile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingRules;
import io.tradetx.scaling.spec.SelectPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class TunerTest {

    private static final ScaledObjectSpec SEED = ScaledObjectParser.parse(Resources.read("seed-head-scaledobject.yaml"));
    /** On the pod the project assumed before measuring (30 s start, 60 s ramp-up), which these cases are about. */
    private static final SimulationInput SEED_DEMO =
            SimulationInput.of(SEED, LoadProfile.parse("10x60s,1000x300s,0x900s")).withPod(PodProfile.GUESSED);
    private static final PolicyChoice SEED_UP =
            PolicyChoice.of(SelectPolicy.MIN, PolicyChoice.pods(10, 60), PolicyChoice.percent(500, 60));
    private static final PolicyChoice FAST_UP = PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(900, 15));

    /**
     * The seed's HEAD (lagThreshold 10000, a 60 s scale-up window, the smaller of Pods 10 and Percent 500 per
     * 60 s) reacts late: messages wait about 3 minutes. Only the candidate that removes every brake on the
     * way up (lagThreshold 1000 so the metric rises early, no scale-up window, Percent 900 per 15 s so 1 pod
     * can become 10 in one sync) keeps p99 age within 90 s with pods that take 30 s to start and 60 s to ramp.
     */
    @Test
    void smallSearchPicksTheFastScaleUpWhenTheSeedMissesTheSla() {
        SearchSpace space = new SearchSpace(List.of(10000L, 1000L), List.of(), List.of(60, 0), List.of(),
                List.of(SEED_UP, FAST_UP), List.of());
        TuneResult result = Tuner.tune(SEED_DEMO, space, 90);
        assertEquals(8, result.candidates().size());
        TuneCandidate seed = result.candidates().stream()
                .filter(c -> c.spec().equals(SEED)).findFirst().orElseThrow();
        assertFalse(seed.slaMet(), result.table(8));

        TuneCandidate best = result.best();
        assertTrue(best.slaMet(), result.table(8));
        assertEquals(1000, best.spec().kafka().lagThreshold());
        ScalingRules up = best.spec().behavior().scaleUp();
        assertEquals(0, up.stabilizationWindowMillis());
        assertEquals(FAST_UP.policies(), up.policies());
        assertEquals(SEED.behavior().scaleDown(), best.spec().behavior().scaleDown());

        // The written YAML keeps the base's auth and connection settings and reads back to the same spec.
        String yaml = result.bestYaml();
        assertTrue(yaml.contains("saslTokenProvider: \"aws_msk_iam\""), yaml);
        assertTrue(yaml.contains("name: \"keda-msk-iam-auth\""), yaml);
        assertEquals(best.spec(), ScaledObjectParser.parse(yaml));
        assertTrue(result.table(3).lines().count() == 5, result.table(3));  // SLA line, header, 3 rows
    }

    @Test
    void compareKeepsTheGivenOrder() {
        ScaledObjectSpec five = SEED.withKafka(SEED.kafka().withLagThreshold(5000)).withName("thr-5000");
        TuneResult table = Tuner.compare(SEED_DEMO, List.of(SEED, five), 60);
        assertEquals(List.of("trade-tx-consumer-scaler", "thr-5000"),
                table.candidates().stream().map(c -> c.spec().name()).toList());
        assertTrue(table.table(10).contains("thr-5000"));
    }

    @Test
    void candidatesCoverEveryCombination() {
        assertEquals(5 * 3 * 3 * 3 * 3 * 3 * 2 * 4, Tuner.candidates(SEED, SearchSpace.defaults(100, false, 15)).size());
        assertEquals(9720, SearchSpace.defaults(100, false, 15).size());
        assertEquals(2 * 9720, SearchSpace.defaults(100, true, 15).size());   // with and without 5 placeholders
        assertEquals(List.of(SEED), Tuner.candidates(SEED, SearchSpace.lagThresholdsOnly(List.of())));
    }
}
