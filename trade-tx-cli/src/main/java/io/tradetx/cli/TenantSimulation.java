package io.tradetx.cli;

import io.tradetx.common.config.Env;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.local.tenant.LocalTenant;
import io.tradetx.local.tenant.LocalTenants;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.SharedNodeSimulator;
import io.tradetx.scaling.sim.SharedNodesResult;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.TenantInput;
import io.tradetx.scaling.sim.TenantResult;
import io.tradetx.scaling.spec.ScaledObjectParseException;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code trade-tx simulate --tenant a=PROFILE --tenant b=PROFILE [--quota a=PODS]}: several tenants, each with its
 * own ScaledObject (rendered with its {@code TENANT_<NAME>_<SETTING>} values, as {@code local --tenants} renders it)
 * and its own load, sharing one node pool ({@link SharedNodeSimulator}). The pod, the nodes and the topic's
 * partitions are the simulate options', for every tenant.
 */
final class TenantSimulation {
    private static final int MAX_EVENTS_PER_TENANT = 40;

    /** One --tenant value: NAME=[SCALEDOBJECT:]PROFILE. */
    record TenantOption(String name, Path scaledObject, String profile) {
        static TenantOption parse(String text) {
            int eq = text.indexOf('=');
            if (eq <= 0 || eq == text.length() - 1) {
                throw new IllegalArgumentException("--tenant " + text + ": expected NAME=PROFILE or"
                        + " NAME=SCALEDOBJECT:PROFILE, e.g. a=10x60s,1000x300s,10x600s");
            }
            String rest = text.substring(eq + 1);
            int colon = rest.lastIndexOf(':');
            return new TenantOption(text.substring(0, eq).strip(), colon < 0 ? null : Path.of(rest.substring(0, colon)),
                    colon < 0 ? rest : rest.substring(colon + 1));
        }
    }

    private TenantSimulation() {
    }

    /** The tenants' inputs: specs from their settings, loads from their options, the quotas given. */
    static List<TenantInput> inputs(SimulationOptions sim, List<String> tenantOptions, Map<String, Integer> quotas,
                                    Env env) throws IOException {
        List<TenantOption> options = tenantOptions.stream().map(TenantOption::parse).toList();
        for (String name : quotas.keySet()) {
            if (options.stream().noneMatch(o -> o.name().equals(name))) {
                throw new IllegalArgumentException("--quota " + name + ": no --tenant " + name);
            }
        }
        Path root = DeploySettings.repoRoot();
        List<LocalTenant> tenants = LocalTenants.resolve(LocalTenants.settings(root, sim.environment),
                String.join(",", options.stream().map(TenantOption::name).toList()));
        List<TenantInput> inputs = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            TenantOption o = options.get(i);
            Path file = o.scaledObject() != null ? o.scaledObject() : root.resolve(ScaledObjectFile.DEFAULT_PATH);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("tenant " + o.name() + ": no ScaledObject at " + file);
            }
            ScaledObjectSpec spec;
            try {
                spec = sim.withScrape(tenants.get(i).scaledObject(Files.readString(file), sim.overrides));
            } catch (ScaledObjectParseException e) {
                throw new IllegalArgumentException("tenant " + o.name() + ": invalid ScaledObject " + file + ": "
                        + String.join("; ", e.problems()), e);
            }
            LoadProfile load;
            try {
                load = LoadProfile.parse(o.profile());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("tenant " + o.name() + ": " + e.getMessage(), e);
            }
            Integer quota = quotas.get(o.name());
            if (quota != null && quota < 1) {
                throw new IllegalArgumentException("--quota " + o.name() + "=" + quota + ": must admit at least 1 pod");
            }
            SimulationInput input = sim.input(spec, env).withLoad(load);
            inputs.add(new TenantInput(o.name(), input, quota == null ? TenantInput.NO_QUOTA : quota));
        }
        return inputs;
    }

    static void print(List<TenantInput> tenants, NodeModel nodes, SharedNodesResult result, long micros,
                      PrintStream out) {
        SimulationInput first = tenants.get(0).input();
        out.printf(Locale.ROOT, "Tenants sharing one node pool: %s%n", nodes.describe());
        out.printf(Locale.ROOT, "Pod %.1f msg/s, start delay %s s; %d partitions per topic, protocol %s%n",
                first.pod().capacityMsgsPerSec(), num(first.pod().startDelaySeconds()), first.partitions(),
                first.protocol().rebalance());
        for (TenantInput t : tenants) {
            ScaledObjectSpec s = t.input().spec();
            out.printf(Locale.ROOT, "tenant %s: load %s; ScaledObject lagThreshold %d%s, replicas %d..%d%s%n", t.name(),
                    t.input().load(), s.kafka().lagThreshold(), s.rate() == null ? "" : ", " + s.rate().describe(),
                    s.minReplicaCount(), s.maxReplicaCount(), t.capped() ? "; quota " + t.podQuota() + " pods" : "");
        }
        out.printf(Locale.ROOT, "simulated %d s in %.1f ms%n%n", result.tenants().get(0).result().timeline().size(),
                micros / 1000.0);
        out.println("Per tenant (p99 and max message age, pod-minutes, time its new pods waited for a node)");
        result.text().lines().forEach(l -> out.println("  " + l));
        for (TenantResult t : result.tenants()) {
            out.println();
            out.println("Scale events of tenant " + t.name());
            List<ScalingEvent> events = t.result().events();
            events.stream().limit(MAX_EVENTS_PER_TENANT).forEach(e -> out.println("  " + e));
            if (events.size() > MAX_EVENTS_PER_TENANT) {
                out.println("  ... " + (events.size() - MAX_EVENTS_PER_TENANT) + " more");
            }
        }
    }

    /** Runs and prints; 0, or 2 for a bad option or setting. */
    static int run(SimulationOptions sim, List<String> tenantOptions, Map<String, Integer> quotas, Duration warmUp,
                   PrintStream out) {
        List<TenantInput> tenants;
        NodeModel nodes;
        try {
            tenants = inputs(sim, tenantOptions, new LinkedHashMap<>(quotas), sim.consumerEnv());
            nodes = sim.nodes();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("simulate: " + e.getMessage());
            return io.tradetx.common.config.Startup.EXIT_INVALID_SETTINGS;
        }
        long t0 = System.nanoTime();
        SharedNodesResult result;
        try {
            result = SharedNodeSimulator.run(tenants, nodes, Math.toIntExact(warmUp.toSeconds()));
        } catch (IllegalArgumentException e) {
            System.err.println("simulate: --warm-up " + warmUp.toSeconds() + "s: " + e.getMessage());
            return io.tradetx.common.config.Startup.EXIT_INVALID_SETTINGS;
        }
        print(tenants, nodes, result, (System.nanoTime() - t0) / 1000, out);
        return 0;
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%.2f", d);
    }
}
