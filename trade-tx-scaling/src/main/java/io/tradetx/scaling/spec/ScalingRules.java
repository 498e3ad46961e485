package io.tradetx.scaling.spec;

import java.util.List;

/**
 * The HPA rules of one direction (scaleUp or scaleDown) with every default filled in.
 *
 * @param tolerance the feature-gated per-direction tolerance as written (null when absent); the model
 *                  ignores it, it is kept so that writing the spec back loses nothing
 */
public record ScalingRules(long stabilizationWindowMillis, SelectPolicy selectPolicy,
                           List<ScalingPolicy> policies, String tolerance) {

    public ScalingRules {
        policies = List.copyOf(policies);
    }

    /** Kubernetes' default scale-up rules: no window, Pods 4 / 15 s and Percent 100 / 15 s, Max. */
    public static ScalingRules defaultScaleUp() {
        return new ScalingRules(0, SelectPolicy.MAX, List.of(
                ScalingPolicy.ofSeconds(PolicyType.PODS, 4, 15),
                ScalingPolicy.ofSeconds(PolicyType.PERCENT, 100, 15)), null);
    }

    /** Kubernetes' default scale-down rules: 300 s window, Percent 100 / 15 s, Max. */
    public static ScalingRules defaultScaleDown() {
        return new ScalingRules(300_000, SelectPolicy.MAX, List.of(
                ScalingPolicy.ofSeconds(PolicyType.PERCENT, 100, 15)), null);
    }

    ScalingRules divided(double k) {
        return new ScalingRules(Math.round(stabilizationWindowMillis / k), selectPolicy,
                policies.stream().map(p -> p.divided(k)).toList(), tolerance);
    }

    /** E.g. {@code window 60s, Min of Pods 10/60s, Percent 500/60s}. */
    public String describe() {
        StringBuilder b = new StringBuilder("window ").append(seconds(stabilizationWindowMillis)).append(", ")
                .append(selectPolicy.yaml()).append(" of ");
        for (int i = 0; i < policies.size(); i++) {
            ScalingPolicy p = policies.get(i);
            b.append(i == 0 ? "" : ", ").append(p.type().yaml()).append(' ').append(p.value())
                    .append(p.type() == PolicyType.PERCENT ? "%" : "").append('/').append(seconds(p.periodMillis()));
        }
        return b.toString();
    }

    private static String seconds(long millis) {
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis / 1000.0 + "s";
    }
}
