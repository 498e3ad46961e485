package io.tradetx.cli;

import io.tradetx.common.config.Startup;
import io.tradetx.scaling.report.ParetoChart;
import io.tradetx.scaling.report.TuneReport;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.LowerBound;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.spec.PolicyType;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingPolicy;
import io.tradetx.scaling.spec.SelectPolicy;
import io.tradetx.scaling.tune.PolicyChoice;
import io.tradetx.scaling.tune.SearchSpace;
import io.tradetx.scaling.tune.TuneCandidate;
import io.tradetx.scaling.tune.TuneGoals;
import io.tradetx.scaling.tune.TuneResult;
import io.tradetx.scaling.tune.Tuner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trade-tx tune}: search ScaledObject settings for a load profile and goals, or compare ScaledObjects. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Search lagThreshold, pollingInterval, stabilization windows and policies, minReplicaCount, a"
                + " prometheus ingest-rate trigger and placeholder headroom for a load profile and goals (p99 message"
                + " age, direction reversals, pods ready after a burst), by simulating every combination on top of the"
                + " ScaledObject.",
            "Ranks configurations that meet every goal by cost (pod-minutes), those that miss by how close they come;"
                + " writes the best as YAML, prints the lower bound when nothing meets the goals, and draws the Pareto"
                + " frontier with --report/--chart.",
            "--compare A.yaml B.yaml ... simulates the given ScaledObjects side by side instead."})
public final class TuneCommand implements Callable<Integer> {
    private static final Pattern POLICY = Pattern.compile("(?i)(pods|percent)=(\\d+)/(\\d+)s?");
    private static final Pattern READY = Pattern.compile("(\\d+)/(.+)");
    private static final List<String> DIMENSIONS = List.of("lag-thresholds", "polling-intervals", "scale-up-windows",
            "scale-down-windows", "scale-up-policy", "scale-down-policy", "cooldown-periods", "min-replicas",
            "headrooms", "rate-thresholds");

    @Mixin
    SimulationOptions sim;

    @Option(names = "--sla-p99-age", defaultValue = "60s",
            description = "SLA: the p99 time a message spends in Kafka (default ${DEFAULT-VALUE}).")
    Duration slaP99Age;

    @Option(names = "--max-reversals", description = "SLA: at most this many direction reversals of the replicas"
            + " (default: no limit).", parameterConsumer = RangeCheck.class)
    @Range(min = 0)
    Integer maxReversals;

    @Option(names = "--max-pod-minutes", description = "SLA: at most this many pod-minutes on the profile"
            + " (placeholder pods included; default: no limit).", parameterConsumer = RangeCheck.class)
    @Range(min = 0, minExclusive = true)
    Double maxPodMinutes;

    @Option(names = "--no-costlier-than", paramLabel = "FILE", description = "SLA: at most the pod-minutes this"
            + " ScaledObject costs on the same profile and pods (e.g. examples/seed-head-scaledobject.yaml).")
    Path noCostlierThan;

    @Option(names = "--burst-profile", description = "SLA: a burst load, e.g. 0x30s,2000x600s,0x600s, on which --ready"
            + " must hold (default: none).")
    String burstProfile;

    @Option(names = "--ready", defaultValue = "20/60s", description = "With --burst-profile: PODS/WITHIN, pods in the"
            + " group within that long of the burst's spike (default ${DEFAULT-VALUE}: the seed's headline).")
    String ready;

    @Option(names = "--delays", split = ",", defaultValue = "0,7", description = "Every goal must hold for the"
            + " profiles as given and started this many seconds later (default ${DEFAULT-VALUE}: off the 15 s HPA"
            + " sync grid), so that no configuration is tuned to one alignment of the load with the syncs.")
    List<Integer> delays;

    @Option(names = "--top", defaultValue = "10", parameterConsumer = RangeCheck.class,
            description = "Rows of the ranked table (default ${DEFAULT-VALUE}).")
    @Range(min = 1)
    int top;

    @Option(names = "--out", defaultValue = "best-scaledobject.yaml",
            description = "Where to write the best ScaledObject (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--report", description = "Write an HTML report: Pareto chart, ranking, lower bound.")
    Path report;

    @Option(names = "--chart", description = "Write the Pareto chart (pod-minutes vs p99 age) as an SVG file.")
    Path chart;

    @Option(names = "--frontier", description = "Also print the Pareto frontier (pod-minutes vs p99 age) as a table.")
    boolean frontier;

    @Option(names = "--compare", arity = "1..*", paramLabel = "FILE",
            description = "Compare these ScaledObjects on the same profile (no search, nothing written).")
    List<Path> compare;

    @Option(names = "--lag-thresholds", split = ",",
            description = "lagThreshold values (default 250,500,1000,2500,5000).")
    List<Long> lagThresholds;

    @Option(names = "--polling-intervals", split = ",", description = "pollingInterval values in seconds (default 5,15,30).")
    List<Integer> pollingIntervals;

    @Option(names = "--scale-up-windows", split = ",",
            description = "scaleUp stabilizationWindowSeconds values (default 0).")
    List<Integer> scaleUpWindows;

    @Option(names = "--scale-down-windows", split = ",",
            description = "scaleDown stabilizationWindowSeconds values (default 60,120,300).")
    List<Integer> scaleDownWindows;

    @Option(names = "--scale-up-policy", paramLabel = "SELECT:POLICIES",
            description = "A scaleUp choice, repeatable, e.g. Max:Pods=4/15,Percent=100/15 (default: aggressive"
                    + " Max:Percent=900/15, Kubernetes' default, gentle Max:Pods=4/60,Percent=100/60).")
    List<String> scaleUpPolicies;

    @Option(names = "--scale-down-policy", paramLabel = "SELECT:POLICIES",
            description = "A scaleDown choice, repeatable, e.g. Max:Percent=50/120 (default: Max:Percent=100/15,"
                    + " Max:Percent=50/120, Max:Percent=25/60,Pods=1/60).")
    List<String> scaleDownPolicies;

    @Option(names = "--cooldown-periods", split = ",", description = "cooldownPeriod values in seconds (default 30,60,300).")
    List<Integer> cooldownPeriods;

    @Option(names = "--min-replicas", split = ",", description = "minReplicaCount values (default 0,1).")
    List<Integer> minReplicas;

    @Option(names = "--headrooms", split = ",", description = "Placeholder pods (over-provisioning) values (default"
            + " 0 on warm nodes; 0 and a third of a node with --node-launch > 0).")
    List<Integer> headrooms;

    @Option(names = "--rate-thresholds", split = ",", description = "Targets in msg/s per pod of a prometheus"
            + " ingest-rate trigger; 0 = lag alone (default 0 and 80, 90, 100 %% of a pod's capacity).")
    List<Double> rateThresholds;

    @Option(names = "--keep", description = "Keep the ScaledObject's value for: lag-thresholds, polling-intervals,"
            + " scale-up-windows, scale-down-windows, scale-up-policy, scale-down-policy, cooldown-periods,"
            + " min-replicas, headrooms"
            + " (the --headroom value), rate-thresholds (its triggers as they are) (comma-separated).",
            split = ",")
    List<String> keep = new ArrayList<>();

    /** Configurations to point out in the chart (the --no-costlier-than one). */
    private final List<ParetoChart.Reference> references = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            TuneGoals goals = goals();
            if (compare != null) {
                List<ScaledObjectSpec> specs = new ArrayList<>();
                for (Path f : compare) {
                    String name = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                    specs.add(sim.withScrape(sim.loadSpec(f)).withName(name));
                }
                SimulationInput input = sim.input(specs.get(0), sim.consumerEnv());
                System.out.print(SimulateCommand.describe(input).lines().skip(1)
                        .reduce("", (a, b) -> a + b + "\n"));
                TuneResult result = Tuner.compare(input, specs, withCostLimit(goals, input));
                System.out.print(result.table(specs.size()));
                return 0;
            }
            ScaledObjectSpec base = sim.spec();
            SimulationInput input = sim.input(base, sim.consumerEnv());
            goals = withCostLimit(goals, input);
            SearchSpace space = space(input);
            long t0 = System.nanoTime();
            TuneResult result = Tuner.tune(input, space, goals);
            System.out.print(SimulateCommand.describe(input));
            System.out.printf(Locale.ROOT, "%d configurations simulated in %.1f s%n%n", result.candidates().size(),
                    (System.nanoTime() - t0) / 1e9);
            System.out.print(result.table(top));
            if (frontier) {
                System.out.println();
                System.out.print(result.frontierTable());
            }
            Files.writeString(out, result.bestYaml(), StandardCharsets.UTF_8);
            System.out.println();
            LowerBound bound = null;
            if (!result.best().slaMet() || report != null) {
                bound = lowerBound(input, space, goals);
            }
            if (!result.best().slaMet()) {
                System.out.print(bound.text(goals.burst() != null && bound.p99AgeSeconds() <= goals.slaP99AgeSeconds()));
                System.out.println();
            }
            System.out.println((result.best().slaMet() ? "Best" : "No configuration met the goals; the closest")
                    + " ScaledObject written to " + out);
            if (result.best().headroom() > 0) {
                System.out.println("Headroom: " + result.best().headroom() + " placeholder pods; apply"
                        + " k8s/optional/overprovisioning.yaml with replicas: " + result.best().headroom());
            }
            writeCharts(result, input, bound);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("tune: " + e.getMessage());
            return Startup.EXIT_INVALID_SETTINGS;
        }
    }

    private void writeCharts(TuneResult result, SimulationInput input, LowerBound bound) throws IOException {
        if (chart != null) {
            Files.writeString(chart, ParetoChart.render(result.candidates(), result.paretoFrontier(),
                    result.goals().slaP99AgeSeconds(), result.best(), references, true), StandardCharsets.UTF_8);
            System.out.println("Pareto chart: " + chart);
        }
        if (report != null) {
            TuneReport.write(report, TuneReport.render(result, SimulateCommand.describe(input), bound, top, references));
            System.out.println("HTML report: " + report);
        }
    }

    /** The bound over the space: the shortest polling interval, and whether a minReplicaCount >= 1 is allowed. */
    static LowerBound lowerBound(SimulationInput input, SearchSpace space, TuneGoals goals) {
        long poll = space.pollingIntervalsSeconds().isEmpty() ? input.spec().pollingIntervalMillis()
                : space.pollingIntervalsSeconds().stream().mapToLong(s -> s * 1000L).min().orElseThrow();
        boolean minOne = space.minReplicaCounts().isEmpty() ? input.spec().minReplicaCount() > 0
                : space.minReplicaCounts().stream().anyMatch(m -> m > 0);
        SimulationInput burst = goals.burst() == null ? null : input.withLoad(goals.burst().truncated(
                goals.burst().spikeStartSecond() + (int) Math.ceil(goals.readyWithinSeconds()) * 4));
        return LowerBound.of(input, poll, minOne, burst, goals.burst() == null ? 0 : goals.readyPods());
    }

    /** The goals with --max-pod-minutes, or the cost of --no-costlier-than's ScaledObject (its worst over the delays). */
    TuneGoals withCostLimit(TuneGoals goals, SimulationInput input) throws IOException {
        if (maxPodMinutes != null && noCostlierThan != null) {
            throw new IllegalArgumentException("give --max-pod-minutes or --no-costlier-than, not both");
        }
        if (maxPodMinutes != null) {
            return goals.withMaxCost(maxPodMinutes);
        }
        if (noCostlierThan == null) {
            return goals;
        }
        ScaledObjectSpec reference = sim.withScrape(sim.loadSpec(noCostlierThan));
        TuneCandidate ref = Tuner.compare(input, List.of(reference), goals).best();
        double cost = ref.cost();
        references.add(new ParetoChart.Reference(noCostlierThan.getFileName().toString().replaceFirst("\\.ya?ml$", ""),
                cost, ref.summary().p99AgeSeconds()));
        System.out.printf(Locale.ROOT, "%s costs %.1f pod-minutes on this profile: the limit%n", noCostlierThan, cost);
        return goals.withMaxCost(cost);
    }

    TuneGoals goals() {
        double sla = slaP99Age.toMillis() / 1000.0;
        int reversals = maxReversals == null ? Integer.MAX_VALUE : maxReversals;
        if (burstProfile == null) {
            return new TuneGoals(sla, reversals, null, 0, 0, delays, Double.POSITIVE_INFINITY);
        }
        Matcher m = READY.matcher(ready.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("--ready: expected PODS/WITHIN, e.g. 20/60s, was '" + ready + "'");
        }
        return new TuneGoals(sla, reversals, LoadProfile.parse(burstProfile), Integer.parseInt(m.group(1)),
                DurationConverter.parse(m.group(2)).toMillis() / 1000.0, delays, Double.POSITIVE_INFINITY);
    }

    SearchSpace space(SimulationInput input) {
        SearchSpace d = SearchSpace.defaults(input.pod().capacityMsgsPerSec(), !input.nodes().warmNodes(),
                input.nodes().podsPerNode());
        for (String k : keep) {
            if (!DIMENSIONS.contains(k.trim())) {
                throw new IllegalArgumentException("--keep: unknown name '" + k + "' (one of " + DIMENSIONS + ")");
            }
        }
        return new SearchSpace(
                pick("lag-thresholds", lagThresholds, d.lagThresholds()),
                pick("polling-intervals", pollingIntervals, d.pollingIntervalsSeconds()),
                pick("scale-up-windows", scaleUpWindows, d.scaleUpWindowsSeconds()),
                pick("scale-down-windows", scaleDownWindows, d.scaleDownWindowsSeconds()),
                pick("scale-up-policy", scaleUpPolicies == null ? null
                        : scaleUpPolicies.stream().map(TuneCommand::policy).toList(), d.scaleUpPolicies()),
                pick("scale-down-policy", scaleDownPolicies == null ? null
                        : scaleDownPolicies.stream().map(TuneCommand::policy).toList(), d.scaleDownPolicies()),
                pick("cooldown-periods", cooldownPeriods, d.cooldownPeriodsSeconds()),
                pick("min-replicas", minReplicas, d.minReplicaCounts()),
                pick("headrooms", headrooms, d.headroomPods()),
                pick("rate-thresholds", rateThresholds, d.rateThresholds()));
    }

    private <T> List<T> pick(String name, List<T> given, List<T> defaults) {
        if (keep.stream().anyMatch(k -> k.trim().equals(name))) {
            return List.of();
        }
        return given != null ? given : defaults;
    }

    /** Parses {@code Max:Pods=4/15,Percent=100/15} (selectPolicy, then policies as TYPE=VALUE/PERIODSECONDS). */
    static PolicyChoice policy(String text) {
        int colon = text.indexOf(':');
        SelectPolicy select = colon < 0 ? null : SelectPolicy.fromYaml(capitalize(text.substring(0, colon).trim()));
        if (select == null) {
            throw new IllegalArgumentException("bad policy choice '" + text
                    + "': expected SELECT:TYPE=VALUE/PERIOD,..., e.g. Max:Pods=4/15,Percent=100/15");
        }
        List<ScalingPolicy> policies = new ArrayList<>();
        for (String part : text.substring(colon + 1).split(",")) {
            Matcher m = POLICY.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("bad policy '" + part.trim() + "' in '" + text
                        + "': expected Pods=N/SECONDS or Percent=N/SECONDS");
            }
            PolicyType type = m.group(1).equalsIgnoreCase("pods") ? PolicyType.PODS : PolicyType.PERCENT;
            policies.add(ScalingPolicy.ofSeconds(type, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        }
        return new PolicyChoice(select, policies);
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
    }
}
