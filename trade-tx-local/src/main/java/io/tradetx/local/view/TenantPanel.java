package io.tradetx.local.view;

import io.micrometer.core.instrument.Tag;
import io.tradetx.local.run.LocalRun;

/**
 * One tenant of a local run, as the live view shows it.
 *
 * @param meterTag the tag that marks this tenant's meters in the run's shared registry
 */
public record TenantPanel(String tenant, LocalRun.RunContext ctx, LocalRun.Scaling scaling, Tag meterTag) {
}
