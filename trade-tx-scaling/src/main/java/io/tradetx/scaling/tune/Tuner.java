package io.tradetx.scaling.tune;

import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationSummary;
import io.tradetx.scaling.sim.Simulator;
import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Searches ScaledObject settings for a load profile and an SLA on message age by simulating each combination,
 * and compares given ScaledObjects side by side.
 */
public final class Tuner {

    /** SLA met first, then cost (pod-minutes), then flapping, then the p99 age. */
    public static final Comparator<TuneCandidate> RANKING = Comparator
            .comparing((TuneCandidate c) -> !c.slaMet())
            .thenComparingDouble(c -> c.summary().podMinutes())
            .thenComparingInt(c -> c.summary().reversals())
            .thenComparingLong(c -> c.summary().p99AgeSeconds());

    private Tuner() {
    }

    /** Simulates every combination of {@code space} applied to {@code input.spec()} and ranks them. */
    public static TuneResult tune(SimulationInput input, SearchSpace space, double slaP99AgeSeconds) {
        List<TuneCandidate> ranked = new ArrayList<>();
        for (ScaledObjectSpec spec : candidates(input.spec(), space)) {
            ranked.add(evaluate(input.withSpec(spec), slaP99AgeSeconds));
        }
        ranked.sort(RANKING);
        return new TuneResult(ranked, slaP99AgeSeconds);
    }

    /** Simulates each spec on the same input, keeping the given order. */
    public static TuneResult compare(SimulationInput input, List<ScaledObjectSpec> specs, double slaP99AgeSeconds) {
        List<TuneCandidate> rows = new ArrayList<>();
        for (ScaledObjectSpec spec : specs) {
            rows.add(evaluate(input.withSpec(spec), slaP99AgeSeconds));
        }
        return new TuneResult(rows, slaP99AgeSeconds);
    }

    private static TuneCandidate evaluate(SimulationInput input, double sla) {
        SimulationSummary summary = Simulator.run(input).summary();
        return new TuneCandidate(input.spec(), summary, summary.p99AgeSeconds() <= sla);
    }

    /** Every combination of the space on top of {@code base}, in a stable order. */
    static List<ScaledObjectSpec> candidates(ScaledObjectSpec base, SearchSpace space) {
        List<ScaledObjectSpec> out = new ArrayList<>();
        HpaBehavior baseBehavior = base.behavior() != null || !space.touchesBehavior()
                ? base.behavior() : HpaBehavior.defaults();
        for (long threshold : orBase(space.lagThresholds(), base.kafka().lagThreshold())) {
            for (long polling : orBase(space.pollingIntervalsSeconds().stream().map(s -> s * 1000L).toList(),
                    base.pollingIntervalMillis())) {
                if (baseBehavior == null) {
                    out.add(base.withKafka(base.kafka().withLagThreshold(threshold)).withPollingIntervalMillis(polling));
                    continue;
                }
                ScalingRules up0 = baseBehavior.scaleUp();
                ScalingRules down0 = baseBehavior.scaleDown();
                for (long upWindow : orBase(millis(space.scaleUpWindowsSeconds()), up0.stabilizationWindowMillis())) {
                    for (long downWindow : orBase(millis(space.scaleDownWindowsSeconds()),
                            down0.stabilizationWindowMillis())) {
                        for (PolicyChoice up : orBase(space.scaleUpPolicies(),
                                new PolicyChoice(up0.selectPolicy(), up0.policies()))) {
                            for (PolicyChoice down : orBase(space.scaleDownPolicies(),
                                    new PolicyChoice(down0.selectPolicy(), down0.policies()))) {
                                HpaBehavior b = new HpaBehavior(
                                        new ScalingRules(upWindow, up.selectPolicy(), up.policies(), up0.tolerance()),
                                        new ScalingRules(downWindow, down.selectPolicy(), down.policies(),
                                                down0.tolerance()));
                                out.add(base.withKafka(base.kafka().withLagThreshold(threshold))
                                        .withPollingIntervalMillis(polling).withBehavior(b));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static List<Long> millis(List<Integer> seconds) {
        return seconds.stream().map(s -> s * 1000L).toList();
    }

    private static <T> List<T> orBase(List<T> values, T base) {
        return values.isEmpty() ? List.of(base) : values;
    }
}
