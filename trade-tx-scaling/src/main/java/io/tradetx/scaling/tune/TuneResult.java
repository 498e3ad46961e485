package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.ScaledObjectWriter;
import java.util.List;

/**
 * Simulated candidates, best first (SLA met, then fewer pod-minutes, then less flapping), or in the given
 * order for a comparison.
 */
public record TuneResult(List<TuneCandidate> candidates, double slaP99AgeSeconds) {

    public TuneResult {
        candidates = List.copyOf(candidates);
    }

    /** The first candidate. */
    public TuneCandidate best() {
        return candidates.get(0);
    }

    /** The best candidate as ScaledObject YAML (the base's names, auth and connection metadata kept). */
    public String bestYaml() {
        return ScaledObjectWriter.write(best().spec());
    }

    /** The first {@code topN} candidates as an aligned text table. */
    public String table(int topN) {
        return "SLA: p99 message age <= " + (long) slaP99AgeSeconds + " s\n" + CandidateTable.format(candidates, topN);
    }
}
