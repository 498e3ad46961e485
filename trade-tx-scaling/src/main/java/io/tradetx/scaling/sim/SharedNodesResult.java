package io.tradetx.scaling.sim;

import io.tradetx.scaling.nodes.NodeModel;
import java.util.List;
import java.util.Locale;

/**
 * A shared-node simulation: every tenant's figures and the node pool they shared, counted from the end of the
 * warm-up on.
 *
 * @param nodeMinutes  the sum over seconds of the pool's nodes (launching or Ready), divided by 60
 * @param peakNodes    the most nodes at once
 * @param nodeLaunches nodes launched during the run, for any tenant's pods
 */
public record SharedNodesResult(NodeModel nodes, int warmUpSeconds, List<TenantResult> tenants, double nodeMinutes, int peakNodes,
                                int nodeLaunches) {

    public SharedNodesResult {
        tenants = List.copyOf(tenants);
    }

    public TenantResult tenant(String name) {
        return tenants.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no tenant " + name));
    }

    /** One line per tenant under a header, then the shared nodes. */
    public String text() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-12s %-6s %-10s %-15s %-9s %s%n",
                "TENANT", "PEAK", "P99 AGE", "MAX AGE", "POD-MIN", "WAITED FOR A NODE"));
        for (TenantResult t : tenants) {
            SimulationSummary s = t.summary();
            NodeWaits w = t.waits();
            String waited = w.podsWaited() == 0 ? "no pod waited" : String.format(Locale.ROOT,
                    "%d pods, %d pod-s, longest %d s", w.podsWaited(), w.podSecondsWaiting(), w.longestWaitSeconds());
            String quota = t.podQuota() == TenantInput.NO_QUOTA ? "" : String.format(Locale.ROOT,
                    "; quota %d pods%s", t.podQuota(), t.peakRefusedByQuota() == 0 ? ""
                            : " (refused up to " + t.peakRefusedByQuota() + ")");
            b.append(String.format(Locale.ROOT, "%-12s %-6d %-10s %-15s %-9.1f %s%s%n", t.name(), s.peakReplicas(),
                    s.p99AgeSeconds() + " s", s.maxAgeSeconds() + " s", s.podMinutes(), waited, quota));
        }
        b.append(String.format(Locale.ROOT, "shared nodes: %.1f node-minutes, peak %d nodes, %d launched (%s)%n",
                nodeMinutes, peakNodes, nodeLaunches, nodes.describe()));
        if (warmUpSeconds > 0) {
            b.append(String.format(Locale.ROOT, "(figures from t=%d s on, after the warm-up)%n", warmUpSeconds));
        }
        return b.toString();
    }
}
