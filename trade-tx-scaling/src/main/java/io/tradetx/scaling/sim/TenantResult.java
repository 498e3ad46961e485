package io.tradetx.scaling.sim;

/**
 * One tenant's part of a shared-node simulation: its own timeline (the whole run) and summary (after the warm-up;
 * its node figures are the shared pool's), how long its pods waited for a node, and the most replicas its quota
 * refused at once.
 */
public record TenantResult(String name, int podQuota, SimulationResult result, NodeWaits waits,
                           int peakRefusedByQuota) {

    public SimulationSummary summary() {
        return result.summary();
    }
}
