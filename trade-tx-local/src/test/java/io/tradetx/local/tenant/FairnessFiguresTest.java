package io.tradetx.local.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.tenant.FairnessFigures.TenantFigures;
import io.tradetx.local.tenant.FairnessFigures.Window;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fairness verdict: noise is max(1 s, 25 %) of the baseline p99, pods must not change; ages in 10 ms steps. */
class FairnessFiguresTest {
    private static final TenantFigures A = new TenantFigures("a", "10 -> 1000 -> 10 msg/s",
            new Window(150, 1_400, 1_600, 1, 1), new Window(18_000, 8_100, 9_000, 1, 24));

    private static TenantFigures b(long before, long during, int podsDuringMin, int podsDuringMax) {
        return new TenantFigures("b", "50 msg/s throughout", new Window(750, before, before + 100, 1, 1),
                new Window(1400, during, during + 100, podsDuringMin, podsDuringMax));
    }

    private static FairnessFigures figures(TenantFigures b, long backAt) {
        return new FairnessFigures(10, List.of(A, b), 40_000, 58_000, 24, 46_000, backAt);
    }

    @Test
    void noiseIsOneSecondOrAQuarterOfTheBaseline() {
        assertThat(FairnessFigures.noiseMillis(2_000)).isEqualTo(1_000);
        assertThat(FairnessFigures.noiseMillis(8_000)).isEqualTo(2_000);
        assertThat(FairnessFigures.ageWithinNoise(b(2_000, 3_000, 1, 1))).isTrue();
        assertThat(FairnessFigures.ageWithinNoise(b(2_000, 3_010, 1, 1))).isFalse();
        assertThat(FairnessFigures.ageWithinNoise(b(8_000, 5_990, 1, 1))).as("faster counts too").isFalse();
        assertThat(FairnessFigures.ageWithinNoise(new TenantFigures("b", "", new Window(0, -1, -1, 1, 1),
                new Window(10, 100, 100, 1, 1)))).as("no baseline, no verdict").isFalse();
    }

    @Test
    void podsMustStayTheSameThroughBothWindows() {
        assertThat(FairnessFigures.podsIdentical(b(2_000, 2_000, 1, 1))).isTrue();
        assertThat(FairnessFigures.podsIdentical(b(2_000, 2_000, 1, 2))).isFalse();
        assertThat(FairnessFigures.podsIdentical(b(2_000, 2_000, 2, 2))).isFalse();
    }

    @Test
    void linesGiveEachTenantsFiguresAndTheVerdict() {
        FairnessFigures ok = figures(b(2_160, 2_080, 1, 1), 68_200);
        assertThat(ok.isolated()).isTrue();
        assertThat(ok.scaledOutAndBack()).isTrue();
        assertThat(ok.lines()).containsExactly(
                "Scenario fairness, tenant a: 10 -> 1000 -> 10 msg/s; pods 1 before, peak 24 +60 s after its burst"
                        + " began, back to 1 +102 s after the burst ended; p99 message age 1.40 s before, 8.10 s during"
                        + " (times in cluster seconds = local x 10; ages in real seconds)",
                "Scenario fairness, tenant b: 50 msg/s throughout; p99 message age 2.16 s before, 2.08 s while a"
                        + " scaled out and back (max 2.26 s / 2.18 s; 750 / 1400 messages): within noise (noise: max(1"
                        + " s, 25 %) = 1.00 s); pods 1 before, 1 during: identical",
                "Scenario fairness: tenant b isolated from a's burst (p99 age within noise, pods identical); a scaled"
                        + " out and back");
        FairnessFigures bad = figures(b(2_160, 4_000, 1, 2), -1);
        assertThat(bad.isolated()).isFalse();
        assertThat(bad.scaledOutAndBack()).isFalse();
        assertThat(String.join("\n", bad.lines())).contains("BEYOND NOISE", "pods 1 before, 1..2 during: CHANGED",
                "did not come back to 1 in time", "tenant b NOT isolated", "a did NOT scale out and back");
    }

    @Test
    void agesArePercentilesIn10MillisecondSteps() {
        AgeSamples s = new AgeSamples();
        assertThat(s.quantileMillis(0.99)).isEqualTo(-1);
        for (int i = 1; i <= 1000; i++) {
            s.add(i * 10L - 5, 1);
        }
        s.add(-3, 1);
        assertThat(s.count()).isEqualTo(1001);
        assertThat(s.quantileMillis(0.5)).isEqualTo(5_000);
        assertThat(s.quantileMillis(0.99)).isEqualTo(9_900);
        assertThat(s.maxMillis()).isEqualTo(10_000);
        s.add(600_000, 1);
        assertThat(s.maxMillis()).isEqualTo(600_010);
    }

    @Test
    void agesGoToTheCurrentPhaseOnly() {
        MessageAges ages = new MessageAges();
        ages.stored(10_000, new long[] {9_000});
        ages.phase("before");
        ages.stored(10_000, new long[] {9_000, 8_000});
        ages.phase("during");
        ages.stored(20_000, new long[] {19_990});
        ages.phase(null);
        ages.stored(30_000, new long[] {0});
        assertThat(ages.samples("before").count()).isEqualTo(2);
        assertThat(ages.samples("before").maxMillis()).isEqualTo(2_010);
        assertThat(ages.samples("during").count()).isEqualTo(1);
        assertThat(ages.samples("after").count()).isZero();
    }
}
