package io.tradetx.scaling.tune;

import io.tradetx.scaling.sim.SimulationSummary;
import io.tradetx.scaling.spec.ScaledObjectSpec;

/**
 * One simulated configuration and how it did against the goals.
 *
 * @param headroom     placeholder pods of the over-provisioning manifest (not part of the ScaledObject)
 * @param burst        the run on the burst profile (cut shortly after the readiness deadline), or null
 * @param cost         pod-minutes on the main profile plus the placeholders' pod-minutes (they hold the same room)
 * @param shortfall    0 when every goal is met, else the largest relative miss (p99 / SLA - 1, late readiness
 *                     / deadline, excess reversals / (allowed + 1)); ranks configurations that miss the goals
 * @param otherGoalsMet whether the goals other than the p99 age (reversals, burst readiness) are met: the
 *                     candidates the Pareto frontier of cost vs p99 age is drawn from
 */
public record TuneCandidate(ScaledObjectSpec spec, int headroom, SimulationSummary summary, SimulationSummary burst,
                            double cost, double shortfall, boolean otherGoalsMet) {

    /** Whether every goal was met. */
    public boolean slaMet() {
        return shortfall == 0;
    }

    /** Seconds until the burst goal's pods were ready, -1 when never or when there is no burst goal. */
    public long burstReadySeconds(int pods) {
        return burst == null ? -1 : burst.secondsUntilReady(pods);
    }
}
