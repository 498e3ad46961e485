package io.tradetx.scaling.spec;

/** One HPA scaling policy: at most {@code value} pods or percent of change per {@code periodMillis}. */
public record ScalingPolicy(PolicyType type, int value, long periodMillis) {

    /** Convenience for the usual whole-second YAML form. */
    public static ScalingPolicy ofSeconds(PolicyType type, int value, int periodSeconds) {
        return new ScalingPolicy(type, value, periodSeconds * 1000L);
    }

    ScalingPolicy divided(double k) {
        return new ScalingPolicy(type, value, Math.round(periodMillis / k));
    }
}
