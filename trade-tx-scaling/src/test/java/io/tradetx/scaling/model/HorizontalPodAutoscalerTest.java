package io.tradetx.scaling.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.PolicyType;
import io.tradetx.scaling.spec.ScalingPolicy;
import io.tradetx.scaling.spec.ScalingRules;
import io.tradetx.scaling.spec.SelectPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class HorizontalPodAutoscalerTest {

    private static final long LEGACY = 300_000;

    private static HorizontalPodAutoscaler legacy(int min, int max, long target) {
        return new HorizontalPodAutoscaler(min, max, target, null, LEGACY);
    }

    private static HorizontalPodAutoscaler withBehavior(int max, ScalingRules up, ScalingRules down) {
        return new HorizontalPodAutoscaler(1, max, 100, new HpaBehavior(up, down), LEGACY);
    }

    private static ScalingRules rules(int windowSeconds, SelectPolicy select, ScalingPolicy... policies) {
        return new ScalingRules(windowSeconds * 1000L, select, List.of(policies), null);
    }

    private static ScalingPolicy pods(int value, int period) {
        return ScalingPolicy.ofSeconds(PolicyType.PODS, value, period);
    }

    private static ScalingPolicy percent(int value, int period) {
        return ScalingPolicy.ofSeconds(PolicyType.PERCENT, value, period);
    }

    /** Fast scale-down so that up-tests are not held by the default 300 s window. */
    private static final ScalingRules FAST_DOWN = rules(0, SelectPolicy.MAX, percent(100, 15));

    @Test
    void toleranceKeepsTheReplicasWithinTenPercentInclusive() {
        HorizontalPodAutoscaler hpa = legacy(1, 100, 100);
        assertEquals(10, hpa.sync(0, 10, 10, 1050).desired());  // ratio 1.05
        assertEquals(10, hpa.sync(15_000, 10, 10, 1100).desired()); // ratio 1.1: still within
        assertEquals(12, hpa.sync(30_000, 10, 10, 1150).desired()); // ceil(11.5)
        assertEquals(10, legacy(1, 100, 100).sync(0, 10, 10, 900).desired()); // ratio 0.9 within
    }

    @Test
    void averageValueUsesExistingPodsAndMilliUnits() {
        HpaResult r = legacy(1, 100, 5000).sync(0, 2, 2, 7);
        assertEquals(3500, r.averageMilli());   // 7 / 2 = 3.5 -> 3500m
        assertEquals(1, r.desired());           // ceil(7 / 5000) = 1
        // Status replicas, not spec replicas, divide the usage: 3 pods still exist while spec is 2.
        assertEquals(3, legacy(1, 100, 100).sync(0, 2, 3, 300).desired());
    }

    @Test
    void nothingHappensAtZeroReplicasAndLimitsApplyOutsideTheRange() {
        HpaResult r = legacy(1, 10, 100).sync(0, 0, 0, 100_000);
        assertTrue(r.scalingDisabled());
        assertEquals(0, r.desired());
        assertEquals(10, legacy(1, 10, 100).sync(0, 12, 12, 0).desired());
        assertEquals(3, legacy(3, 10, 100).sync(0, 2, 2, 100_000).desired());
    }

    @Test
    void legacyScaleUpIsLimitedToTwiceTheReplicasOrFour() {
        HorizontalPodAutoscaler hpa = legacy(1, 100, 100);
        assertEquals(4, hpa.sync(0, 1, 1, 100_000).desired());       // max(2 * 1, 4)
        assertEquals(8, hpa.sync(15_000, 4, 4, 100_000).desired());  // max(2 * 4, 4)
        assertEquals(6, legacy(1, 100, 100).sync(0, 3, 3, 100_000).desired());
        assertEquals(5, legacy(1, 5, 100).sync(0, 3, 3, 100_000).desired()); // maxReplicas
    }

    @Test
    void legacyKeepsTheHighestProposalOfTheLast300Seconds() {
        HorizontalPodAutoscaler hpa = legacy(1, 100, 100);
        assertEquals(10, hpa.sync(0, 10, 10, 1000).desired());
        assertEquals(10, hpa.sync(15_000, 10, 10, 200).desired());
        // The sample at 0 is exactly 300 s old: Go's Before(cutoff) keeps it.
        assertEquals(10, hpa.sync(300_000, 10, 10, 200).desired());
        assertEquals(2, hpa.sync(315_001, 10, 10, 200).desired());
        // The minimum applies after stabilisation: a proposal of 0 gives minReplicas.
        HorizontalPodAutoscaler min = legacy(1, 100, 100);
        assertEquals(1, min.sync(0, 1, 1, 0).desired());
    }

    @Test
    void defaultBehaviorGoesOneToFiveWhereNoBehaviorGoesOneToFour() {
        assertEquals(4, legacy(1, 100, 100).sync(0, 1, 1, 100_000).desired());
        assertEquals(5, new HorizontalPodAutoscaler(1, 100, 100, HpaBehavior.defaults(), LEGACY)
                .sync(0, 1, 1, 100_000).desired());   // Pods 4 -> 5 beats Percent 100 -> 2
        assertEquals(6, legacy(1, 100, 100).sync(0, 3, 3, 100_000).desired());
        assertEquals(7, new HorizontalPodAutoscaler(1, 100, 100, HpaBehavior.defaults(), LEGACY)
                .sync(0, 3, 3, 100_000).desired());   // max(3 + 4, 3 * 2)
    }

    @Test
    void scaleUpStabilizationTakesTheLowestProposalInTheWindowStrictly() {
        HorizontalPodAutoscaler hpa = withBehavior(100, rules(30, SelectPolicy.MAX, pods(100, 15)), FAST_DOWN);
        assertEquals(2, hpa.sync(0, 2, 2, 200).desired());       // proposal 2
        assertEquals(2, hpa.sync(15_000, 2, 2, 1000).desired()); // min(10, 2 at t=0)
        // The t=0 sample is exactly 30 s old at t=30 s: After(cutoff) drops it.
        assertEquals(10, hpa.sync(30_000, 2, 2, 1000).desired());
    }

    @Test
    void scaleDownStabilizationTakesTheHighestProposalInTheWindow() {
        ScalingRules down = rules(60, SelectPolicy.MAX, percent(100, 15));
        HorizontalPodAutoscaler hpa = withBehavior(100, ScalingRules.defaultScaleUp(), down);
        assertEquals(8, hpa.sync(0, 8, 8, 800).desired());
        assertEquals(8, hpa.sync(30_000, 8, 8, 100).desired());
        assertEquals(1, hpa.sync(60_000, 8, 8, 100).desired());  // the 8 at t=0 is no longer after the cutoff
    }

    @Test
    void podsPolicyCountsScaleEventsWithinThePeriodStrictly() {
        HorizontalPodAutoscaler hpa = withBehavior(100, rules(0, SelectPolicy.MAX, pods(2, 60)), FAST_DOWN);
        assertEquals(3, hpa.sync(0, 1, 1, 2000).desired());       // 1 + 2
        assertEquals(3, hpa.sync(15_000, 3, 3, 2000).desired());  // period start 3 - 2 = 1: limit 3
        assertEquals(3, hpa.sync(45_000, 3, 3, 2000).desired());
        assertEquals(5, hpa.sync(60_000, 3, 3, 2000).desired());  // the event at 0 is exactly 60 s old: gone
    }

    @Test
    void percentPolicyRoundsUpWhenScalingUp() {
        HorizontalPodAutoscaler hpa = withBehavior(100, rules(0, SelectPolicy.MAX, percent(50, 60)), FAST_DOWN);
        assertEquals(5, hpa.sync(0, 3, 3, 2000).desired());   // ceil(3 * 1.5) = 5
    }

    @Test
    void selectPolicyMinMaxAndDisabledForScaleUp() {
        ScalingPolicy[] seed = {pods(10, 60), percent(500, 60)};
        assertEquals(6, withBehavior(100, rules(0, SelectPolicy.MIN, seed), FAST_DOWN)
                .sync(0, 1, 1, 100_000).desired());   // min(1 + 10, 1 * 6)
        assertEquals(11, withBehavior(100, rules(0, SelectPolicy.MAX, seed), FAST_DOWN)
                .sync(0, 1, 1, 100_000).desired());
        assertEquals(1, withBehavior(100, rules(0, SelectPolicy.DISABLED, seed), FAST_DOWN)
                .sync(0, 1, 1, 100_000).desired());
        assertEquals(15, withBehavior(15, rules(0, SelectPolicy.MAX, seed), FAST_DOWN)
                .sync(0, 3, 3, 100_000).desired());   // max(3 + 10, 3 * 6) = 18, capped by maxReplicas 15
    }

    @Test
    void percentPolicyRoundsDownWhenScalingDownAndRemembersTheEvent() {
        ScalingRules down = rules(0, SelectPolicy.MAX, percent(50, 120));
        HorizontalPodAutoscaler hpa = withBehavior(100, ScalingRules.defaultScaleUp(), down);
        assertEquals(5, hpa.sync(0, 10, 10, 0).desired());         // floor(10 * 0.5)
        assertEquals(5, hpa.sync(15_000, 5, 5, 0).desired());      // period start 5 + 5 = 10: limit 5
        assertEquals(2, hpa.sync(120_000, 5, 5, 0).desired());     // event gone: floor(5 * 0.5)
        assertEquals(1, hpa.sync(240_000, 2, 2, 0).desired());     // minReplicas 1
    }

    @Test
    void selectPolicyMinMaxAndDisabledForScaleDown() {
        ScalingPolicy[] both = {pods(1, 60), percent(50, 60)};
        ScalingRules up = ScalingRules.defaultScaleUp();
        assertEquals(5, withBehavior(100, up, rules(0, SelectPolicy.MAX, both)).sync(0, 10, 10, 0).desired());
        assertEquals(9, withBehavior(100, up, rules(0, SelectPolicy.MIN, both)).sync(0, 10, 10, 0).desired());
        assertEquals(10, withBehavior(100, up, rules(0, SelectPolicy.DISABLED, both)).sync(0, 10, 10, 0).desired());
    }

    @Test
    void scaleDownEventsWithinThePeriodRaiseTheScaleUpBudget() {
        // Down 10 -> 5 at t=0 then up again at t=15: period start = 5 - 0 + 5 = 10, Pods 2 -> 12, capped by proposal.
        HorizontalPodAutoscaler hpa = withBehavior(100, rules(0, SelectPolicy.MAX, pods(2, 60)),
                rules(0, SelectPolicy.MAX, percent(50, 60)));
        assertEquals(5, hpa.sync(0, 10, 10, 0).desired());
        assertEquals(8, hpa.sync(15_000, 5, 5, 800).desired());
    }
}
