package io.tradetx.local.tenant;

import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.scaling.spec.ScaledObjectSpec;

/**
 * What runs for one tenant, validated before the broker starts.
 *
 * @param consumer    its consumers' settings (the Kafka login is filled in once the broker runs)
 * @param spec        its ScaledObject, at the run's speedup; null with a fixed number of consumers
 * @param initialRate its producer's first rate
 */
public record TenantPlan(LocalTenant tenant, ConsumerSettings consumer, ScaledObjectSpec spec, int partitions,
                         int initialRate) {

    public String name() {
        return tenant.name();
    }
}
