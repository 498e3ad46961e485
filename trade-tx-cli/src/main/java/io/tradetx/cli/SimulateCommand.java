package io.tradetx.cli;

import io.tradetx.common.config.Startup;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.report.HtmlReport;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationResult;
import io.tradetx.scaling.sim.Simulator;
import io.tradetx.scaling.sim.TimelineCsv;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code trade-tx simulate}: what a ScaledObject does to a load profile, in event time. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate KEDA + HPA with a ScaledObject on a load profile (the same model as `local`),"
                + " in event time: an hour of load takes well under a second.",
            "Prints the summary and the scale events; --report writes an HTML report, --csv the timeline."})
public final class SimulateCommand implements Callable<Integer> {
    private static final int MAX_PRINTED_EVENTS = 200;

    @Mixin
    SimulationOptions sim;

    @Option(names = "--report", description = "Write a self-contained HTML report with SVG charts.")
    Path report;

    @Option(names = "--csv", description = "Write the timeline as CSV, one row per simulated second.")
    Path csv;

    @Option(names = "--tenant", paramLabel = "NAME=[SCALEDOBJECT:]PROFILE", description = {"A tenant sharing the"
        + " node pool with the other --tenant ones (repeat it): its own load profile and ScaledObject (default"
        + " k8s/scaledobject.yaml with its TENANT_<NAME>_<SETTING> values), e.g. --tenant a=10x60s,1000x300s,10x600s"
        + " --tenant b=50x90s,400x300s,50x570s. Prints per tenant p99 age, pod-minutes and time waiting for a node,"
        + " and the shared node-minutes."})
    List<String> tenants = new ArrayList<>();

    @Option(names = "--quota", paramLabel = "NAME=PODS", description = "Consumer pods a --tenant's ResourceQuota"
            + " admits (default: no cap), e.g. --quota a=8.")
    Map<String, Integer> quotas = new LinkedHashMap<>();

    @Option(names = "--warm-up", defaultValue = "0s", description = "With --tenant: count the figures from this time on,"
            + " once the tenants have their steady pods and nodes (default ${DEFAULT-VALUE}).")
    Duration warmUp;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        if (!tenants.isEmpty() || !quotas.isEmpty()) {
            if (report != null || csv != null || tenants.isEmpty()) {
                System.err.println("simulate: " + (tenants.isEmpty() ? "--quota needs --tenant"
                        : "--report and --csv show one ScaledObject; leave out --tenant for them"));
                return Startup.EXIT_INVALID_SETTINGS;
            }
            return TenantSimulation.run(sim, tenants, quotas, warmUp, out);
        }
        SimulationInput input;
        try {
            input = sim.input(sim.spec(), sim.consumerEnv());
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("simulate: " + e.getMessage());
            return Startup.EXIT_INVALID_SETTINGS;
        }
        long t0 = System.nanoTime();
        SimulationResult result = Simulator.run(input);
        long micros = (System.nanoTime() - t0) / 1000;
        out.print(describe(input));
        out.printf(Locale.ROOT, "simulated %d s in %.1f ms%n%n", input.load().totalSeconds(), micros / 1000.0);
        out.println("Summary");
        result.summary().text().lines().forEach(l -> out.println("  " + l));
        out.println();
        out.println("Scale events");
        int n = 0;
        for (ScalingEvent e : result.events()) {
            if (n++ == MAX_PRINTED_EVENTS) {
                out.println("  ... " + (result.events().size() - MAX_PRINTED_EVENTS) + " more (see --report)");
                break;
            }
            out.println("  " + e);
        }
        if (result.events().isEmpty()) {
            out.println("  (none)");
        }
        try {
            if (csv != null) {
                TimelineCsv.write(csv, result.timeline());
                out.println("Timeline CSV: " + csv);
            }
            if (report != null) {
                HtmlReport.write(report, result);
                out.println("HTML report: " + report);
            }
        } catch (IOException e) {
            System.err.println("simulate: cannot write " + e.getMessage());
            return 1;
        }
        return 0;
    }

    static String describe(SimulationInput in) {
        return String.format(Locale.ROOT, """
                ScaledObject %s: lagThreshold %d%s, pollingInterval %s s, cooldownPeriod %s s, replicas %d..%d, %s
                Load %s (%d s), %d partitions, protocol %s
                Pod %.1f msg/s, start delay %s s, ramp-up %s s, rebalance pause %.1f s
                Nodes: %s
                """, in.spec().name(), in.spec().kafka().lagThreshold(),
                in.spec().rate() == null ? "" : ", " + in.spec().rate().describe(),
                in.spec().pollingIntervalMillis() / 1000.0,
                in.spec().cooldownPeriodMillis() / 1000.0, in.spec().minReplicaCount(), in.spec().maxReplicaCount(),
                in.spec().behavior() == null ? "no behavior (legacy HPA rules)" : "behavior " + in.spec().behavior().describe(),
                in.load(), in.load().totalSeconds(), in.partitions(), in.protocol().rebalance(),
                in.pod().capacityMsgsPerSec(), num(in.pod().startDelaySeconds()), num(in.pod().rampUpSeconds()),
                in.pod().pauseSeconds(in.protocol()), in.nodes().describe());
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
