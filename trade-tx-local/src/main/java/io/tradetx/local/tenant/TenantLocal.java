package io.tradetx.local.tenant;

import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.common.config.Startup;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.scale.BurstScenario;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.local.scale.LayeredSettings;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.local.view.Terminal;
import io.tradetx.scaling.spec.ScaledObjectParseException;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./trade-tx local --tenants}: checks the options, reads every tenant's settings and ScaledObject (a bad one
 * stops the run before the broker starts, naming the tenant), runs {@link TenantRun}, and prints the scenario's
 * result.
 */
public final class TenantLocal {
    public static final String FAIRNESS = "fairness";
    private static final Duration DEFAULT_START_DELAY = Duration.ofSeconds(3);

    /**
     * The options of {@code local} that apply to a run with tenants.
     *
     * @param tenants    the --tenants value ("" for the TENANTS of .env)
     * @param partitions --partitions when given (then for every tenant), else null (each tenant's TOPIC_PARTITIONS)
     */
    public record Request(String tenants, int rate, Integer consumers, Duration duration, Integer partitions,
                          String bootstrapServers, int metricsPort, Duration startDelay, Path scaledObject,
                          double speedup, String scenario, boolean logs, Map<String, String> overrides) {
    }

    private TenantLocal() {
    }

    public static int run(Request r) throws Exception {
        String invalid = invalidOption(r);
        if (invalid != null) {
            System.err.println("Invalid option: " + invalid);
            return Startup.EXIT_INVALID_SETTINGS;
        }
        boolean fairness = FAIRNESS.equals(r.scenario());
        Path root = DeploySettings.repoRoot();
        List<TenantPlan> plans;
        try {
            List<LocalTenant> tenants = LocalTenants.resolve(LayeredSettings.load(root, System.getenv()), r.tenants(),
                    options(r));
            if (fairness && tenants.size() < 2) {
                System.err.println("Invalid option: --scenario fairness needs two tenants or more (--tenants a,b)");
                return Startup.EXIT_INVALID_SETTINGS;
            }
            plans = plans(r, tenants, root);
            System.out.println("Settings per tenant (.env.example, then .env, then the environment, then options; the"
                    + " last wins; TENANT_<NAME>_<SETTING> over the global one):");
            settingsLines(r, tenants, root).forEach(System.out::println);
        } catch (InvalidSettingsException e) {
            Startup.report(e);
            return Startup.EXIT_INVALID_SETTINGS;
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid setting: " + e.getMessage());
            return Startup.EXIT_INVALID_SETTINGS;
        }
        Duration podDelay = fairness ? BurstScenario.startDelay(r.startDelay() != null ? r.startDelay()
                : BurstScenario.DEFAULT_POD_START, r.speedup()) : r.startDelay() != null ? r.startDelay()
                : DEFAULT_START_DELAY;
        boolean liveView = !r.logs() && Terminal.interactive();
        InputStream input = System.console() != null || System.getenv("CI") == null ? System.in : null;
        TenantRun.Options options = new TenantRun.Options(plans, r.consumers(), r.duration(), r.metricsPort(), podDelay,
                input, liveView, root.resolve(KafkaPermissions.DEFAULT_PATH));
        FairnessScenario scenario = fairness ? new FairnessScenario(r.speedup()) : null;
        int code = new TenantRun().run(options, scenario);
        if (scenario != null) {
            if (!scenario.finished()) {
                System.err.println("Scenario fairness did not complete" + (scenario.failure() == null ? ""
                        : ": " + scenario.failure()));
                return 1;
            }
            if (liveView) {
                scenario.figures().lines().forEach(System.out::println);
            }
        }
        return code;
    }

    /** The options as the last settings layer: --set, and --partitions as every tenant's TOPIC_PARTITIONS. */
    static Map<String, String> options(Request r) {
        Map<String, String> options = new LinkedHashMap<>(r.overrides());
        if (r.partitions() != null) {
            options.put("TOPIC_PARTITIONS", String.valueOf(r.partitions()));
        }
        return options;
    }

    /**
     * Per tenant, the settings its run uses (its consumers', its namespace, its ScaledObject's placeholders when it
     * autoscales, its own rate, the options) with where each came from, one indented line each.
     */
    static List<String> settingsLines(Request r, List<LocalTenant> tenants, Path root) throws IOException {
        Path file = r.scaledObject() != null ? r.scaledObject() : root.resolve(ScaledObjectFile.DEFAULT_PATH);
        Set<String> used = new LinkedHashSet<>(LocalTenant.CONSUMER_SETTINGS);
        used.add("K8S_NAMESPACE");
        if (r.consumers() == null && Files.isRegularFile(file)) {
            used.addAll(ScaledObjectFile.placeholders(file));
        }
        used.addAll(options(r).keySet());
        List<String> out = new ArrayList<>();
        for (LocalTenant t : tenants) {
            out.add("  tenant " + t.name() + ":");
            Set<String> own = new LinkedHashSet<>(used);
            if (t.ownRate() != null) {
                own.add("MESSAGES_PER_SECOND");
            }
            t.describe(own).forEach(line -> out.add("    " + line));
        }
        return out;
    }

    private static String invalidOption(Request r) {
        if (r.bootstrapServers() != null) {
            return "--bootstrap-servers cannot be used with --tenants: the run starts its own broker with the tenants'"
                    + " logins and ACLs";
        }
        if (r.scenario() != null && !r.scenario().equals(FAIRNESS)) {
            return "--scenario=" + r.scenario() + " with --tenants must be " + FAIRNESS;
        }
        if (r.scenario() != null && r.consumers() != null) {
            return "--scenario needs autoscaling; leave out --consumers";
        }
        return null;
    }

    /** Every tenant's consumer settings, ScaledObject, partitions and first rate. */
    static List<TenantPlan> plans(Request r, List<LocalTenant> tenants, Path root) throws IOException {
        Path file = r.scaledObject() != null ? r.scaledObject() : root.resolve(ScaledObjectFile.DEFAULT_PATH);
        String yaml = r.consumers() != null ? null : Files.readString(file);
        List<TenantPlan> plans = new ArrayList<>();
        for (LocalTenant t : tenants) {
            ConsumerSettings consumer = t.consumerSettings(System.getenv());
            ScaledObjectSpec spec = null;
            if (yaml != null) {
                ScaledObjectSpec own;
                try {
                    own = t.scaledObject(yaml, r.overrides());
                } catch (ScaledObjectParseException e) {
                    throw new IllegalArgumentException("tenant " + t.name() + ": invalid ScaledObject " + file + ": "
                            + String.join("; ", e.problems()), e);
                }
                TenantResources res = t.resources();
                if (!own.kafka().topic().equals(res.topic()) || !own.kafka().consumerGroup().equals(res.group())) {
                    throw new IllegalArgumentException("tenant " + t.name() + ": the ScaledObject " + file + " reads"
                            + " topic " + own.kafka().topic() + " and group " + own.kafka().consumerGroup()
                            + ", not the tenant's " + res.topic() + " and " + res.group()
                            + " (use ${KAFKA_TOPIC} and ${CONSUMER_GROUP})");
                }
                spec = FAIRNESS.equals(r.scenario()) ? BurstScenario.localSpec(own, r.speedup())
                        : own.withSpeedup(r.speedup());
            }
            int partitions = r.partitions() != null ? r.partitions() : t.partitions();
            int rate = FAIRNESS.equals(r.scenario()) ? 0 : t.ownRate() != null ? t.ownRate() : r.rate();
            plans.add(new TenantPlan(t, consumer, spec, partitions, rate));
        }
        return plans;
    }
}
