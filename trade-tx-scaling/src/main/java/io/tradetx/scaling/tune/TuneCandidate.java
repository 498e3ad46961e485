package io.tradetx.scaling.tune;

import io.tradetx.scaling.sim.SimulationSummary;
import io.tradetx.scaling.spec.ScaledObjectSpec;

/** One simulated configuration and how it did against the SLA. */
public record TuneCandidate(ScaledObjectSpec spec, SimulationSummary summary, boolean slaMet) {
}
