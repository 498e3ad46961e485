package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.PolicyType;
import io.tradetx.scaling.spec.ScalingPolicy;
import io.tradetx.scaling.spec.SelectPolicy;
import java.util.List;

/** One option for a direction's policies in a search: the selectPolicy and its policies. */
public record PolicyChoice(SelectPolicy selectPolicy, List<ScalingPolicy> policies) {

    public PolicyChoice {
        policies = List.copyOf(policies);
    }

    public static PolicyChoice of(SelectPolicy select, ScalingPolicy... policies) {
        return new PolicyChoice(select, List.of(policies));
    }

    public static ScalingPolicy pods(int value, int periodSeconds) {
        return ScalingPolicy.ofSeconds(PolicyType.PODS, value, periodSeconds);
    }

    public static ScalingPolicy percent(int value, int periodSeconds) {
        return ScalingPolicy.ofSeconds(PolicyType.PERCENT, value, periodSeconds);
    }
}
