package io.tradetx.scaling.tune;

import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationSummary;
import io.tradetx.scaling.sim.Simulator;
import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Searches ScaledObject settings (plus the headroom of placeholder pods) for a load profile and goals by
 * simulating each combination, and compares given ScaledObjects side by side.
 */
public final class Tuner {

    /** The rate window of a prometheus trigger the tuner adds: two scrapes of the msk-jmx job (30 s). */
    public static final long RATE_WINDOW_SECONDS = 60;

    /**
     * Configurations that meet every goal first, cheapest first (then less flapping, then lower p99 age);
     * then those that miss, closest first (smallest shortfall), then cheapest.
     */
    public static final Comparator<TuneCandidate> RANKING = Comparator
            .comparing((TuneCandidate c) -> !c.slaMet())
            .thenComparingDouble(c -> c.slaMet() ? 0 : c.shortfall())
            .thenComparingDouble(TuneCandidate::cost)
            .thenComparingInt(c -> c.summary().reversals())
            .thenComparingLong(c -> c.summary().p99AgeSeconds());

    private Tuner() {
    }

    /** One configuration: a ScaledObject and the placeholder pods next to it. */
    record Config(ScaledObjectSpec spec, int headroom) {
    }

    /** Only the p99 age as goal. */
    public static TuneResult tune(SimulationInput input, SearchSpace space, double slaP99AgeSeconds) {
        return tune(input, space, TuneGoals.p99(slaP99AgeSeconds));
    }

    /** Simulates every combination of {@code space} applied to {@code input} and ranks them. */
    public static TuneResult tune(SimulationInput input, SearchSpace space, TuneGoals goals) {
        List<Config> configs = new ArrayList<>();
        List<Integer> headrooms = space.headroomPods().isEmpty() ? List.of(input.nodes().headroomPods())
                : space.headroomPods();
        for (ScaledObjectSpec spec : candidates(input.spec(), space)) {
            for (int h : headrooms) {
                configs.add(new Config(spec, h));
            }
        }
        List<TuneCandidate> ranked = new ArrayList<>(configs.parallelStream()
                .map(c -> evaluate(input, c, goals)).toList());
        ranked.sort(RANKING);
        return new TuneResult(ranked, goals);
    }

    /** Simulates each spec on the same input, keeping the given order. */
    public static TuneResult compare(SimulationInput input, List<ScaledObjectSpec> specs, double slaP99AgeSeconds) {
        return compare(input, specs, TuneGoals.p99(slaP99AgeSeconds));
    }

    /** Simulates each spec on the same input (with its headroom), keeping the given order. */
    public static TuneResult compare(SimulationInput input, List<ScaledObjectSpec> specs, TuneGoals goals) {
        List<TuneCandidate> rows = new ArrayList<>();
        for (ScaledObjectSpec spec : specs) {
            rows.add(evaluate(input, new Config(spec, input.nodes().headroomPods()), goals));
        }
        return new TuneResult(rows, goals);
    }

    /**
     * Simulates one configuration on the main profile (and the burst, cut shortly after the readiness deadline)
     * for each delay of the goals; the candidate carries the run with the worst p99 age (the profile as given on
     * a tie), the worst reversals and readiness, and the highest cost.
     */
    static TuneCandidate evaluate(SimulationInput base, Config config, TuneGoals goals) {
        SimulationInput input = base.withSpec(config.spec()).withNodes(base.nodes().withHeadroom(config.headroom()));
        SimulationSummary worst = null;
        SimulationSummary worstBurst = null;
        int reversals = 0;
        double cost = 0;
        for (int delay : goals.delaysSeconds()) {
            SimulationInput shifted = input.withLoad(input.load().delayed(delay));
            SimulationSummary s = Simulator.run(shifted).summary();
            reversals = Math.max(reversals, s.reversals());
            cost = Math.max(cost, s.podMinutes() + config.headroom() * shifted.load().totalSeconds() / 60.0);
            if (worst == null || s.p99AgeSeconds() > worst.p99AgeSeconds()) {
                worst = s;
            }
            if (goals.burst() != null) {
                LoadProfile burst = goals.burst().delayed(delay);
                int end = burst.spikeStartSecond() + (int) Math.ceil(goals.readyWithinSeconds()) + 1;
                SimulationSummary b = Simulator.run(input.withLoad(burst.truncated(end))).summary();
                if (worstBurst == null || later(b, worstBurst, goals.readyPods())) {
                    worstBurst = b;
                }
            }
        }
        SimulationSummary summary = worst.reversals() == reversals ? worst : withReversals(worst, reversals);
        // The frontier is cost vs age: the other goals decide which candidates are on it.
        TuneGoals others = goals.withoutAgeLimit().withMaxCost(Double.POSITIVE_INFINITY);
        return new TuneCandidate(config.spec(), config.headroom(), summary, worstBurst, cost,
                shortfall(summary, worstBurst, cost, goals), shortfall(summary, worstBurst, cost, others) == 0);
    }

    private static boolean later(SimulationSummary a, SimulationSummary b, int pods) {
        long ra = a.secondsUntilReady(pods);
        long rb = b.secondsUntilReady(pods);
        if (ra < 0 || rb < 0) {
            return ra < 0 && (rb >= 0 || a.readySeconds().size() < b.readySeconds().size());
        }
        return ra > rb;
    }

    private static SimulationSummary withReversals(SimulationSummary s, int reversals) {
        return new SimulationSummary(s.peakReplicas(), s.maxLag(), s.maxAgeSeconds(), s.p99AgeSeconds(),
                s.spikeEndSecond(), s.drainSeconds(), s.podMinutes(), reversals, s.scaleChanges(), s.messagesIn(),
                s.messagesProcessed(), s.nodeMinutes(), s.peakNodes(), s.nodeLaunches(), s.spikeStartSecond(),
                s.readySeconds());
    }

    /** 0 when every goal is met, else the largest relative miss. */
    static double shortfall(SimulationSummary s, SimulationSummary burst, double cost, TuneGoals goals) {
        double miss = Math.max(0, s.p99AgeSeconds() / goals.slaP99AgeSeconds() - 1);
        miss = Math.max(miss, cost / goals.maxCost() - 1);
        if (goals.maxReversals() != Integer.MAX_VALUE && s.reversals() > goals.maxReversals()) {
            miss = Math.max(miss, (s.reversals() - goals.maxReversals()) / (goals.maxReversals() + 1.0));
        }
        if (burst != null) {
            long ready = burst.secondsUntilReady(goals.readyPods());
            if (ready < 0) {
                // Never in time: behind every late one, the more pods ready at once the closer.
                int most = burst.readySeconds().size();
                miss = Math.max(miss, 10 + (goals.readyPods() - most) / (double) goals.readyPods());
            } else if (ready > goals.readyWithinSeconds()) {
                miss = Math.max(miss, ready / goals.readyWithinSeconds() - 1);
            }
        }
        return miss;
    }

    /** Every combination of the space on top of {@code base}, in a stable order (without the headroom). */
    static List<ScaledObjectSpec> candidates(ScaledObjectSpec base, SearchSpace space) {
        List<ScaledObjectSpec> out = new ArrayList<>();
        HpaBehavior baseBehavior = base.behavior() != null || !space.touchesBehavior()
                ? base.behavior() : HpaBehavior.defaults();
        List<PrometheusTriggerSpec> rates = new ArrayList<>();
        if (space.rateThresholds().isEmpty()) {
            rates.add(base.rate());
        } else {
            for (double t : space.rateThresholds()) {
                rates.add(t == 0 ? null : rateTrigger(base, t));
            }
        }
        for (long threshold : orBase(space.lagThresholds(), base.kafka().lagThreshold())) {
            for (long polling : orBase(space.pollingIntervalsSeconds().stream().map(s -> s * 1000L).toList(),
                    base.pollingIntervalMillis())) {
                for (long cooldown : orBase(millis(space.cooldownPeriodsSeconds()), base.cooldownPeriodMillis())) {
                    for (int min : orBase(space.minReplicaCounts(), base.minReplicaCount())) {
                        for (PrometheusTriggerSpec rate : rates) {
                            ScaledObjectSpec s = base.withKafka(base.kafka().withLagThreshold(threshold))
                                    .withPollingIntervalMillis(polling).withCooldownPeriodMillis(cooldown)
                                    .withMinReplicaCount(min).withRate(rate);
                            if (baseBehavior == null) {
                                out.add(s);
                            } else {
                                behaviors(baseBehavior, space).forEach(b -> out.add(s.withBehavior(b)));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The base's prometheus trigger with another threshold, or a new one on the kafka trigger's topic. */
    static PrometheusTriggerSpec rateTrigger(ScaledObjectSpec base, double threshold) {
        if (base.rate() != null) {
            return base.rate().withThreshold(threshold);
        }
        if (base.kafka().topic() == null) {
            throw new IllegalArgumentException("the kafka trigger has no topic, so no rate trigger can be added");
        }
        return PrometheusTriggerSpec.ingestRate(base.kafka().topic(), threshold, RATE_WINDOW_SECONDS);
    }

    private static List<HpaBehavior> behaviors(HpaBehavior base, SearchSpace space) {
        List<HpaBehavior> out = new ArrayList<>();
        ScalingRules up0 = base.scaleUp();
        ScalingRules down0 = base.scaleDown();
        for (long upWindow : orBase(millis(space.scaleUpWindowsSeconds()), up0.stabilizationWindowMillis())) {
            for (long downWindow : orBase(millis(space.scaleDownWindowsSeconds()), down0.stabilizationWindowMillis())) {
                for (PolicyChoice up : orBase(space.scaleUpPolicies(), new PolicyChoice(up0.selectPolicy(),
                        up0.policies()))) {
                    for (PolicyChoice down : orBase(space.scaleDownPolicies(), new PolicyChoice(down0.selectPolicy(),
                            down0.policies()))) {
                        out.add(new HpaBehavior(
                                new ScalingRules(upWindow, up.selectPolicy(), up.policies(), up0.tolerance()),
                                new ScalingRules(downWindow, down.selectPolicy(), down.policies(), down0.tolerance())));
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
        return values.isEmpty() ? java.util.Collections.singletonList(base) : values;
    }
}
