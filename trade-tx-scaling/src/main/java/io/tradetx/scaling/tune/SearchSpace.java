package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.SelectPolicy;
import java.util.List;

/**
 * The values the tuner tries; every combination is simulated. An empty list keeps the base spec's value.
 */
public record SearchSpace(List<Long> lagThresholds, List<Integer> pollingIntervalsSeconds,
                          List<Integer> scaleUpWindowsSeconds, List<Integer> scaleDownWindowsSeconds,
                          List<PolicyChoice> scaleUpPolicies, List<PolicyChoice> scaleDownPolicies) {

    public SearchSpace {
        lagThresholds = List.copyOf(lagThresholds);
        pollingIntervalsSeconds = List.copyOf(pollingIntervalsSeconds);
        scaleUpWindowsSeconds = List.copyOf(scaleUpWindowsSeconds);
        scaleDownWindowsSeconds = List.copyOf(scaleDownWindowsSeconds);
        scaleUpPolicies = List.copyOf(scaleUpPolicies);
        scaleDownPolicies = List.copyOf(scaleDownPolicies);
    }

    /** A broad default grid (4 x 3 x 3 x 3 x 3 x 3 = 972 runs). */
    public static SearchSpace defaults() {
        return new SearchSpace(List.of(1000L, 2500L, 5000L, 10000L), List.of(5, 15, 30), List.of(0, 30, 60),
                List.of(60, 120, 300),
                List.of(PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.pods(4, 15), PolicyChoice.percent(100, 15)),
                        PolicyChoice.of(SelectPolicy.MIN, PolicyChoice.pods(10, 60), PolicyChoice.percent(500, 60)),
                        PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(900, 15))),
                List.of(PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(50, 120)),
                        PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(100, 15)),
                        PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.pods(2, 60))));
    }

    /** Only lagThreshold varies. */
    public static SearchSpace lagThresholdsOnly(List<Long> thresholds) {
        return new SearchSpace(thresholds, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    boolean touchesBehavior() {
        return !scaleUpWindowsSeconds.isEmpty() || !scaleDownWindowsSeconds.isEmpty() || !scaleUpPolicies.isEmpty()
                || !scaleDownPolicies.isEmpty();
    }
}
