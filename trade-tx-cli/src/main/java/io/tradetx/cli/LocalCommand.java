package io.tradetx.cli;

import io.tradetx.common.config.Env;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.config.Startup;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.run.LocalRun;
import io.tradetx.local.scale.BurstScenario;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.local.scale.LayeredSettings;
import io.tradetx.local.scale.LocalAutoscaler;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.local.scale.SeedDemoScenario;
import io.tradetx.local.tenant.TenantLocal;
import io.tradetx.local.view.Terminal;
import io.tradetx.producer.ProducerSettings;
import io.tradetx.scaling.spec.ScaledObjectParseException;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx local}: the producer and consumers against a real local Kafka broker. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Start a local Kafka broker, the producer and consumers in one process.",
            "Settings (BATCH_SIZE, GROUP_PROTOCOL, LAG_THRESHOLD, ...) come from .env.example, then .env, then the",
            "environment, then the options (--partitions, --set); the run prints each one and where it came from.",
            "The producer's rate is --rate (the deploy's MESSAGES_PER_SECOND starts a cluster idle).",
            "While it runs, type a number and Enter to change the producer rate."})
public final class LocalCommand implements Callable<Integer> {
    private static final Duration DEFAULT_START_DELAY = Duration.ofSeconds(3);
    /** The most consumers a fixed-size local run starts (each is a thread pool in this process). */
    static final int MAX_CONSUMERS = 200;
    static final int MAX_SPEEDUP = 1000;

    /** A scripted load of {@code --scenario}. */
    public enum Scenario {
        SEED_DEMO, BURST, FAIRNESS;

        /** The name on the command line: seed-demo, burst, fairness. */
        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Converts the name on the command line. */
        public static final class Converter extends EnumConverter<Scenario> {
            public Converter() {
                super(Scenario.class);
            }
        }
    }

    @Option(names = "--rate", defaultValue = "200", parameterConsumer = RangeCheck.class,
            description = "Producer rate in msg/s (default ${DEFAULT-VALUE}).")
    @Range(min = 0, max = ProducerSettings.MAX_MESSAGES_PER_SECOND)
    int rate;

    @Option(names = "--consumers", parameterConsumer = RangeCheck.class,
            description = "A fixed number of consumers; without it the ScaledObject autoscales them.")
    @Range(min = 0, max = MAX_CONSUMERS)
    Integer consumers;

    @Option(names = "--duration", description = "Stop after this long, e.g. 30s or 5m (default: until Ctrl-C).")
    Duration duration;

    // No defaultValue: without it, TOPIC_PARTITIONS (each tenant's own with --tenants) decides.
    @Option(names = "--partitions", parameterConsumer = RangeCheck.class,
            description = "Topic partitions (default: TOPIC_PARTITIONS).")
    @Range(min = KafkaSettings.MIN_TOPIC_PARTITIONS, max = KafkaSettings.MAX_TOPIC_PARTITIONS)
    Integer partitions;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of starting a local one.")
    String bootstrapServers;

    @Option(names = "--metrics-port", defaultValue = "8000",
            description = "Port of /metrics for all local apps; -1 disables it (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--start-delay", description = "Delay before a new consumer joins, standing in for image pull +"
            + " JVM start (default 3s; with --scenario burst the pod start in cluster time, default 10s, divided by"
            + " --speedup).")
    Duration startDelay;

    @Option(names = "--scaled-object", description = "The ScaledObject that drives autoscaling (default k8s/scaledobject.yaml;"
            + " $${VAR} placeholders filled from the settings' layers).")
    Path scaledObject;

    @Option(names = "--speedup", defaultValue = "1", parameterConsumer = RangeCheck.class,
            description = "Divide every time setting of the ScaledObject and the HPA sync period by this (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = MAX_SPEEDUP)
    double speedup;

    @Option(names = "--scenario", converter = Scenario.Converter.class, description = {"A scripted load:",
        "seed-demo: 10 msg/s, a 1000 msg/s spike, stop; ends at 0 replicas.",
        "burst: 0 -> 2000 msg/s until 20 pods are ready, stop; prints when the first and the 20th pod were ready"
                + " after the spike, the peak and the drain, in cluster seconds (lag thresholds are divided by"
                + " --speedup too).",
        "fairness (with --tenants): the first tenant bursts 10 -> 1000 -> 10 msg/s while the others stay at 50 msg/s;"
                + " prints each tenant's p99 message age and pods before and during the burst, and whether the others"
                + " stayed within noise."})
    Scenario scenario;

    @Option(names = "--tenants", arity = "0..1", fallbackValue = "", paramLabel = "A,B",
            description = {"Several tenants on one broker with SASL/SCRAM logins and ACLs from"
                + " infra-tf/kafka-permissions.json; per tenant its topics, a producer, autoscaled consumers and its own"
                + " ScaledObject, with its TENANT_<NAME>_<SETTING> values (.env.example, .env, the environment, then the"
                + " options for every tenant), each printed at start with its source."
                + " Without names: the TENANTS of .env. Type e.g. 'a 1000' + Enter to change tenant a's rate."})
    String tenants;

    @Option(names = "--logs", description = "Print the raw log lines instead of the live status view (without a"
            + " terminal the log lines are printed anyway).")
    boolean logs;

    @Option(names = "--set", description = "Override a deploy setting (the last layer), e.g. --set LAG_THRESHOLD=2000"
            + " or --set BATCH_SIZE=500.")
    Map<String, String> overrides = new HashMap<>();

    @Override
    public Integer call() throws Exception {
        if (tenants != null) {
            return TenantLocal.run(new TenantLocal.Request(tenants, rate, consumers, duration, partitions,
                    bootstrapServers, metricsPort, startDelay, scaledObject, speedup,
                    scenario == null ? null : scenario.toString(), logs, overrides));
        }
        Path root = DeploySettings.repoRoot();
        Map<String, String> options = new LinkedHashMap<>(overrides);
        if (partitions != null) {
            options.put("TOPIC_PARTITIONS", String.valueOf(partitions));
        }
        LayeredSettings layered = LayeredSettings.load(root, System.getenv()).withOptions(options);
        ConsumerSettings settings = ConsumerSettings.fromEnv(new Env(layered.consumerEnvironment(System.getenv())));
        if (scenario == Scenario.FAIRNESS) {
            System.err.println("Invalid option: --scenario=" + scenario + " needs --tenants (without it: "
                    + Scenario.SEED_DEMO + " or " + Scenario.BURST + ")");
            return Startup.EXIT_INVALID_SETTINGS;
        }
        if (scenario != null && consumers != null) {
            System.err.println("Invalid option: --scenario needs autoscaling; leave out --consumers");
            return Startup.EXIT_INVALID_SETTINGS;
        }
        boolean burst = scenario == Scenario.BURST;
        Duration podDelay = burst ? BurstScenario.startDelay(startDelay != null ? startDelay
                : BurstScenario.DEFAULT_POD_START, speedup) : startDelay != null ? startDelay : DEFAULT_START_DELAY;
        Path file = scaledObject != null ? scaledObject : root.resolve(ScaledObjectFile.DEFAULT_PATH);
        Set<String> used = new LinkedHashSet<>(LayeredSettings.CONSUMER_SETTINGS);
        if (consumers == null && Files.isRegularFile(file)) {
            used.addAll(ScaledObjectFile.placeholders(file));
        }
        used.addAll(options.keySet());
        System.out.println("Settings (.env.example, then .env, then the environment, then options; the last wins):");
        layered.describe(used).forEach(line -> System.out.println("  " + line));
        // A scenario sets its own rates from the first tick; start it idle.
        LocalRun.Options runOptions = new LocalRun.Options(scenario == null ? rate : 0,
                settings.kafka().topicPartitions(), duration, bootstrapServers, metricsPort, podDelay,
                System.console() != null || System.getenv("CI") == null ? System.in : null, null,
                !logs && Terminal.interactive());
        if (consumers != null) {
            return new LocalRun().run(runOptions, settings, LocalRun.fixed(consumers));
        }
        ScaledObjectSpec spec;
        try {
            ScaledObjectSpec fileSpec = ScaledObjectFile.load(file, layered.values());
            spec = burst ? BurstScenario.localSpec(fileSpec, speedup) : fileSpec.withSpeedup(speedup);
        } catch (ScaledObjectParseException e) {
            System.err.println("Invalid ScaledObject " + file + ":");
            e.problems().forEach(p -> System.err.println("  " + p));
            return Startup.EXIT_INVALID_SETTINGS;
        } catch (IllegalArgumentException | java.io.IOException e) {
            System.err.println("Cannot use ScaledObject " + file + ": " + e.getMessage());
            return Startup.EXIT_INVALID_SETTINGS;
        }
        SeedDemoScenario demo = scenario == Scenario.SEED_DEMO ? new SeedDemoScenario(speedup) : null;
        BurstScenario burstScenario = burst ? new BurstScenario(spec) : null;
        LocalAutoscaler autoscaler = new LocalAutoscaler(spec, demo != null ? demo : burstScenario);
        int code = new LocalRun().run(runOptions, settings, autoscaler);
        if (demo != null && !(demo.finished() && demo.reachedScaleOutGoal())) {
            System.err.println("Scenario seed-demo did not complete: scaled out to the goal = "
                    + demo.reachedScaleOutGoal() + ", scaled to zero = " + demo.finished());
            return 1;
        }
        if (burstScenario != null) {
            if (!burstScenario.finished()) {
                System.err.println("Scenario burst did not complete (stopped before the lag drained)");
                return 1;
            }
            // On the terminal too when the log went to a file: the line the scenario is run for.
            if (runOptions.liveView()) {
                System.out.println(burstScenario.figures().summary());
            }
        }
        return code;
    }
}
