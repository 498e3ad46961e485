package io.tradetx.scaling.tune;

import io.tradetx.scaling.spec.ScaledObjectWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Simulated candidates, best first ({@link Tuner#RANKING}), or in the given order for a comparison.
 */
public record TuneResult(List<TuneCandidate> candidates, TuneGoals goals) {

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
        return "SLA: " + goals.describe() + "\n" + CandidateTable.format(candidates, topN, goals);
    }

    /** The Pareto frontier as a table (cheapest first). */
    public String frontierTable() {
        List<TuneCandidate> f = paretoFrontier();
        return "Pareto frontier (pod-minutes vs p99 age, among those meeting the other goals), " + f.size()
                + " configurations:\n"
                + CandidateTable.format(f, f.size(), goals);
    }

    /** Whether any candidate met every goal. */
    public boolean anyMet() {
        return candidates.stream().anyMatch(TuneCandidate::slaMet);
    }

    /**
     * Among the candidates that meet the goals other than the p99 age, those no other one beats on both cost and
     * p99 age (the Pareto frontier of pod-minutes vs p99 message age), cheapest first.
     */
    public List<TuneCandidate> paretoFrontier() {
        List<TuneCandidate> sorted = new ArrayList<>(candidates.stream().filter(TuneCandidate::otherGoalsMet).toList());
        sorted.sort(Comparator.comparingDouble(TuneCandidate::cost)
                .thenComparingLong(c -> c.summary().p99AgeSeconds()));
        List<TuneCandidate> frontier = new ArrayList<>();
        long bestAge = Long.MAX_VALUE;
        for (TuneCandidate c : sorted) {
            if (c.summary().p99AgeSeconds() < bestAge) {
                frontier.add(c);
                bestAge = c.summary().p99AgeSeconds();
            }
        }
        return frontier;
    }
}
