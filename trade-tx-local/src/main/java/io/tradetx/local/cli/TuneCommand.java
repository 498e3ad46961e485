package io.tradetx.local.cli;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.spec.PolicyType;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingPolicy;
import io.tradetx.scaling.spec.SelectPolicy;
import io.tradetx.scaling.tune.PolicyChoice;
import io.tradetx.scaling.tune.SearchSpace;
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

/** {@code trade-tx tune}: search ScaledObject settings for a load profile and an SLA, or compare ScaledObjects. */
@Command(name = "tune", mixinStandardHelpOptions = true,
        description = {"Search lagThreshold, pollingInterval, stabilization windows and policies for a load profile"
                + " and an SLA on the p99 message age, by simulating every combination on top of the ScaledObject.",
            "Ranks by: SLA met, then pod-minutes (cost), then flapping, then p99 age; writes the best as YAML.",
            "--compare A.yaml B.yaml ... simulates the given ScaledObjects side by side instead."})
public final class TuneCommand implements Callable<Integer> {
    private static final Pattern POLICY = Pattern.compile("(?i)(pods|percent)=(\\d+)/(\\d+)s?");

    @Mixin
    SimulationOptions sim;

    @Option(names = "--sla-p99-age", defaultValue = "60s",
            description = "SLA: the p99 time a message spends in Kafka (default ${DEFAULT-VALUE}).")
    Duration slaP99Age;

    @Option(names = "--top", defaultValue = "10", description = "Rows of the ranked table (default ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--out", defaultValue = "best-scaledobject.yaml",
            description = "Where to write the best ScaledObject (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--compare", arity = "1..*", paramLabel = "FILE",
            description = "Compare these ScaledObjects on the same profile (no search, nothing written).")
    List<Path> compare;

    @Option(names = "--lag-thresholds", split = ",", description = "lagThreshold values (default 1000,2500,5000,10000).")
    List<Long> lagThresholds;

    @Option(names = "--polling-intervals", split = ",", description = "pollingInterval values in seconds (default 5,15,30).")
    List<Integer> pollingIntervals;

    @Option(names = "--scale-up-windows", split = ",",
            description = "scaleUp stabilizationWindowSeconds values (default 0,30,60).")
    List<Integer> scaleUpWindows;

    @Option(names = "--scale-down-windows", split = ",",
            description = "scaleDown stabilizationWindowSeconds values (default 60,120,300).")
    List<Integer> scaleDownWindows;

    @Option(names = "--scale-up-policy", paramLabel = "SELECT:POLICIES",
            description = "A scaleUp choice, repeatable, e.g. Max:Pods=4/15,Percent=100/15 (default: three choices).")
    List<String> scaleUpPolicies;

    @Option(names = "--scale-down-policy", paramLabel = "SELECT:POLICIES",
            description = "A scaleDown choice, repeatable, e.g. Max:Percent=50/120 (default: three choices).")
    List<String> scaleDownPolicies;

    @Option(names = "--keep", description = "Keep the ScaledObject's value for: lag-thresholds, polling-intervals,"
            + " scale-up-windows, scale-down-windows, scale-up-policy, scale-down-policy (comma-separated).",
            split = ",")
    List<String> keep = new ArrayList<>();

    @Override
    public Integer call() {
        if (top < 1) {
            System.err.println("tune: --top must be >= 1");
            return Startup.EXIT_INVALID_SETTINGS;
        }
        double sla = slaP99Age.toMillis() / 1000.0;
        try {
            if (compare != null) {
                List<ScaledObjectSpec> specs = new ArrayList<>();
                for (Path f : compare) {
                    String name = f.getFileName().toString().replaceFirst("\\.ya?ml$", "");
                    specs.add(SimulationOptions.loadSpec(f, sim.overrides).withName(name));
                }
                SimulationInput input = sim.input(specs.get(0), Env.system());
                System.out.print(SimulateCommand.describe(input).lines().skip(1)
                        .reduce("", (a, b) -> a + b + "\n"));
                TuneResult result = Tuner.compare(input, specs, sla);
                System.out.print(result.table(specs.size()));
                return 0;
            }
            ScaledObjectSpec base = sim.spec();
            SimulationInput input = sim.input(base, Env.system());
            SearchSpace space = space();
            long t0 = System.nanoTime();
            TuneResult result = Tuner.tune(input, space, sla);
            System.out.print(SimulateCommand.describe(input));
            System.out.printf(Locale.ROOT, "%d configurations simulated in %.1f s%n%n", result.candidates().size(),
                    (System.nanoTime() - t0) / 1e9);
            System.out.print(result.table(top));
            Files.writeString(out, result.bestYaml(), StandardCharsets.UTF_8);
            System.out.println();
            System.out.println((result.best().slaMet() ? "Best" : "No configuration met the SLA; the first-ranked (cheapest)")
                    + " ScaledObject written to " + out);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("tune: " + e.getMessage());
            return Startup.EXIT_INVALID_SETTINGS;
        }
    }

    SearchSpace space() {
        SearchSpace d = SearchSpace.defaults();
        for (String k : keep) {
            if (!List.of("lag-thresholds", "polling-intervals", "scale-up-windows", "scale-down-windows",
                    "scale-up-policy", "scale-down-policy").contains(k.trim())) {
                throw new IllegalArgumentException("--keep: unknown name '" + k + "'");
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
                        : scaleDownPolicies.stream().map(TuneCommand::policy).toList(), d.scaleDownPolicies()));
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
