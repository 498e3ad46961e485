package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.SelectPolicy;
import java.util.List;

/**
 * The values the tuner tries; every combination is simulated. An empty list keeps the base's value (for
 * headroom: none; for rate thresholds: the base's prometheus trigger, if any).
 *
 * @param cooldownPeriodsSeconds cooldownPeriod values: how long KEDA keeps the last replica once every trigger is
 *                           inactive (the 1 -> 0 step)
 * @param minReplicaCounts   minReplicaCount values (1 keeps a warm pod, and lets the HPA act without KEDA's poll)
 * @param headroomPods       placeholder pods of the over-provisioning manifest (only matters on cold nodes)
 * @param rateThresholds     prometheus ingest-rate trigger targets in msg/s per pod; 0 means lag alone
 */
public record SearchSpace(List<Long> lagThresholds, List<Integer> pollingIntervalsSeconds,
                          List<Integer> scaleUpWindowsSeconds, List<Integer> scaleDownWindowsSeconds,
                          List<PolicyChoice> scaleUpPolicies, List<PolicyChoice> scaleDownPolicies,
                          List<Integer> cooldownPeriodsSeconds, List<Integer> minReplicaCounts,
                          List<Integer> headroomPods, List<Double> rateThresholds) {

    /**
     * Scale-up as fast as the HPA allows: x10 at every sync (1 -> 10 -> 24). The period is 10 s, not the sync's
     * 15 s: with 15 s whether the last sync's step still counts is decided by milliseconds of jitter (windows
     * compare timestamps strictly), so the same load would sometimes allow x10 and sometimes x5.
     */
    public static final PolicyChoice UP_AGGRESSIVE = PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(900, 10));
    /** Kubernetes' default scale-up: the larger of +4 pods and +100 % per 15 s. */
    public static final PolicyChoice UP_DEFAULT =
            PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.pods(4, 15), PolicyChoice.percent(100, 15));
    /** One step a minute: the larger of +4 pods and +100 % per 60 s. */
    public static final PolicyChoice UP_GENTLE =
            PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.pods(4, 60), PolicyChoice.percent(100, 60));
    /** Scale-in at once once the window allows it. */
    public static final PolicyChoice DOWN_FAST = PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(100, 15));
    /** The seed's scale-in: half the pods per 2 minutes. */
    public static final PolicyChoice DOWN_SEED = PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(50, 120));
    /** A quarter of the pods (at least one) a minute. */
    public static final PolicyChoice DOWN_GENTLE =
            PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(25, 60), PolicyChoice.pods(1, 60));

    public SearchSpace {
        lagThresholds = List.copyOf(lagThresholds);
        pollingIntervalsSeconds = List.copyOf(pollingIntervalsSeconds);
        scaleUpWindowsSeconds = List.copyOf(scaleUpWindowsSeconds);
        scaleDownWindowsSeconds = List.copyOf(scaleDownWindowsSeconds);
        scaleUpPolicies = List.copyOf(scaleUpPolicies);
        scaleDownPolicies = List.copyOf(scaleDownPolicies);
        cooldownPeriodsSeconds = List.copyOf(cooldownPeriodsSeconds);
        minReplicaCounts = List.copyOf(minReplicaCounts);
        headroomPods = List.copyOf(headroomPods);
        rateThresholds = List.copyOf(rateThresholds);
        if (rateThresholds.stream().anyMatch(t -> !(t >= 0))) {
            throw new IllegalArgumentException("rate thresholds must be >= 0 (0 = no rate trigger): " + rateThresholds);
        }
        if (minReplicaCounts.stream().anyMatch(m -> m < 0) || headroomPods.stream().anyMatch(h -> h < 0)
                || cooldownPeriodsSeconds.stream().anyMatch(c -> c < 0)) {
            throw new IllegalArgumentException("cooldownPeriod, minReplicaCount and headroom must be >= 0");
        }
    }

    /** The first six dimensions; the base's cooldownPeriod and minReplicaCount, no headroom, the base's triggers. */
    public SearchSpace(List<Long> lagThresholds, List<Integer> pollingIntervalsSeconds,
                       List<Integer> scaleUpWindowsSeconds, List<Integer> scaleDownWindowsSeconds,
                       List<PolicyChoice> scaleUpPolicies, List<PolicyChoice> scaleDownPolicies) {
        this(lagThresholds, pollingIntervalsSeconds, scaleUpWindowsSeconds, scaleDownWindowsSeconds, scaleUpPolicies,
                scaleDownPolicies, List.of(), List.of(), List.of(), List.of());
    }

    /**
     * The default grid: lagThreshold 250 to 5000, pollingInterval 5 to 30 s, aggressive (x10 per 10 s) / default /
     * gentle
     * scale-up without a window, fast / seed / gentle scale-down after 60 to 300 s, cooldownPeriod 30, 60 or
     * 300 s, minReplicaCount 0 or 1, and lag alone or with a rate trigger at 80, 90 or 100 % of a pod's capacity
     * (5 x 3 x 3 x 3 x 3 x 3 x 2 x 4 = 9720 configurations); on cold nodes also 0 or {@code podsPerNode / 3}
     * placeholder pods.
     */
    public static SearchSpace defaults(double podCapacity, boolean coldNodes, int podsPerNode) {
        List<Double> rates = List.of(0.0, Math.floor(podCapacity * 0.8), Math.floor(podCapacity * 0.9),
                Math.floor(podCapacity));
        return new SearchSpace(List.of(250L, 500L, 1000L, 2500L, 5000L), List.of(5, 15, 30), List.of(0),
                List.of(60, 120, 300), List.of(UP_AGGRESSIVE, UP_DEFAULT, UP_GENTLE),
                List.of(DOWN_FAST, DOWN_SEED, DOWN_GENTLE), List.of(30, 60, 300), List.of(0, 1),
                coldNodes ? List.of(0, Math.max(1, podsPerNode / 3)) : List.of(0), rates);
    }

    /** Only lagThreshold varies. */
    public static SearchSpace lagThresholdsOnly(List<Long> thresholds) {
        return new SearchSpace(thresholds, List.of(), List.of(), List.of(), List.of(), List.of());
    }

    boolean touchesBehavior() {
        return !scaleUpWindowsSeconds.isEmpty() || !scaleDownWindowsSeconds.isEmpty() || !scaleUpPolicies.isEmpty()
                || !scaleDownPolicies.isEmpty();
    }

    /** How many combinations {@link Tuner#candidates} makes. */
    public long size() {
        return n(lagThresholds) * n(pollingIntervalsSeconds) * n(scaleUpWindowsSeconds) * n(scaleDownWindowsSeconds)
                * n(scaleUpPolicies) * n(scaleDownPolicies) * n(cooldownPeriodsSeconds) * n(minReplicaCounts)
                * n(headroomPods)
                * n(rateThresholds);
    }

    private static long n(List<?> l) {
        return Math.max(1, l.size());
    }
}
