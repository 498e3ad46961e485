package io.tradetx.scaling.spec;

/** The HPA behavior given under advanced.horizontalPodAutoscalerConfig.behavior, defaults filled in. */
public record HpaBehavior(ScalingRules scaleUp, ScalingRules scaleDown) {

    /** An explicit behavior that only states Kubernetes' defaults (not the same as no behavior). */
    public static HpaBehavior defaults() {
        return new HpaBehavior(ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown());
    }

    HpaBehavior divided(double k) {
        return new HpaBehavior(scaleUp.divided(k), scaleDown.divided(k));
    }

    /** One line: {@code up: ...; down: ...}. */
    public String describe() {
        return "up: " + scaleUp.describe() + "; down: " + scaleDown.describe();
    }
}
