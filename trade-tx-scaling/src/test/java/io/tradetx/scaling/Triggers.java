package io.tradetx.scaling;

import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.KafkaTriggerSpec;
import io.tradetx.scaling.spec.OffsetResetPolicy;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.List;
import java.util.Map;

/** Builds triggers and specs for tests with only the settings a case cares about. */
public final class Triggers {

    private Triggers() {
    }

    public static KafkaTriggerSpec trigger(long threshold) {
        return KafkaTriggerSpec.of("localhost:9092", "g", "t", threshold);
    }

    /** Flags in order: allowIdle, excludePersistent, scaleToZeroOnInvalid, limitToLag, even. */
    public static KafkaTriggerSpec trigger(long threshold, long activation, OffsetResetPolicy reset, boolean allowIdle,
                                           boolean excludePersistent, boolean scaleToZero, boolean limitToLag,
                                           boolean even, String partitionLimitation) {
        return new KafkaTriggerSpec("localhost:9092", "g", "t", threshold, activation, reset, allowIdle,
                excludePersistent, scaleToZero, limitToLag, even, partitionLimitation, Map.of(), null, null);
    }

    public static ScaledObjectSpec spec(long threshold, int min, int max, int pollingSeconds, int cooldownSeconds,
                                        HpaBehavior behavior) {
        return new ScaledObjectSpec("so", null, "Deployment", "app", pollingSeconds * 1000L, cooldownSeconds * 1000L,
                0, min, max, trigger(threshold), behavior, List.of(), 1.0);
    }
}
