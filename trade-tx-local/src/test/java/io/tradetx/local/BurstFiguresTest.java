package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.scale.BurstFigures;
import io.tradetx.local.scale.BurstScenario;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The burst's figures in cluster seconds, its goal verdict, and the spec it runs at a speedup. */
class BurstFiguresTest {

    @Test
    void timesAreClusterSecondsAfterTheSpike() {
        // Speedup 10: spike at 3.0 s, first pod at 7.5 s, 20 ready at 9.0 s, stop at 12 s, drained at 15 s.
        BurstFigures f = new BurstFigures(10, 2000, 20, 60, 3_000, 7_500, 9_000, 24, 12_000, 15_000, 2.0);
        assertThat(f.secondsToFirstReady()).isEqualTo(45);
        assertThat(f.secondsToGoalReady()).isEqualTo(60);
        assertThat(f.drainSeconds()).isEqualTo(30);
        assertThat(f.goalMet()).isTrue();
        assertThat(f.summary()).isEqualTo("Scenario burst: 0 -> 2000 msg/s at t=3.0s; first pod ready +45 s, 20 pods"
                + " ready +60 s, peak 24 replicas, drained 30 s after the producer stopped; goal 20 ready within 60 s:"
                + " met (cluster seconds = local x 10; a pod took 20 s from creation to ready)");
    }

    @Test
    void missedWhenLateOrNever() {
        assertThat(new BurstFigures(10, 2000, 20, 60, 3_000, 7_500, 9_100, 24, 12_000, 15_000, 2.0).goalMet())
                .isFalse();
        BurstFigures never = new BurstFigures(1, 2000, 20, 60, 15_000, 40_000, -1, 10, 615_000, -1, -1);
        assertThat(never.goalMet()).isFalse();
        assertThat(never.summary()).contains("20 pods ready never", "drained not after", ": missed (seconds;",
                "no pod became ready");
    }

    @Test
    void theSpecDividesLagThresholdsAsWellAsTimes() {
        ScaledObjectSpec file = TestSpecs.k8s();
        ScaledObjectSpec local = BurstScenario.localSpec(file, 10);
        assertThat(local.pollingIntervalMillis()).isEqualTo(file.pollingIntervalMillis() / 10);
        assertThat(local.speedup()).isEqualTo(10);
        assertThat(local.kafka().lagThreshold()).isEqualTo(Math.round(file.kafka().lagThreshold() / 10.0));
        assertThat(local.kafka().activationLagThreshold())
                .isEqualTo(Math.round(file.kafka().activationLagThreshold() / 10.0));
        assertThat(local.kafka().topic()).isEqualTo(file.kafka().topic());
        assertThat(BurstScenario.startDelay(Duration.ofSeconds(10), 10)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void medianOfPodStarts() {
        assertThat(BurstScenario.medianSeconds(List.of())).isEqualTo(-1);
        assertThat(BurstScenario.medianSeconds(List.of(Duration.ofSeconds(3), Duration.ofSeconds(1),
                Duration.ofSeconds(2)))).isEqualTo(2);
        assertThat(BurstScenario.medianSeconds(List.of(Duration.ofSeconds(1), Duration.ofSeconds(4)))).isEqualTo(2.5);
    }
}
