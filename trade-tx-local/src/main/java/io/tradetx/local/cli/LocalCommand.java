package io.tradetx.local.cli;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.common.config.Startup;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.run.LocalRun;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx local}: the producer and consumers against a real local Kafka broker. */
@Command(name = "local", mixinStandardHelpOptions = true,
        description = {"Start a local Kafka broker, the producer and consumers in one process.",
            "Consumer settings (BATCH_SIZE, BATCH_PROCESSING_TIME, GROUP_PROTOCOL, ...) come from the environment.",
            "While it runs, type a number and Enter to change the producer rate."})
public final class LocalCommand implements Callable<Integer> {
    @Option(names = "--rate", defaultValue = "200", description = "Producer rate in msg/s (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--consumers", description = "A fixed number of consumers (no autoscaling).")
    Integer consumers;

    @Option(names = "--duration", description = "Stop after this long, e.g. 30s or 5m (default: until Ctrl-C).")
    Duration duration;

    @Option(names = "--partitions", defaultValue = "24", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of starting a local one.")
    String bootstrapServers;

    @Option(names = "--metrics-port", defaultValue = "8000",
            description = "Port of /metrics for all local apps; -1 disables it (default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--start-delay", defaultValue = "0s",
            description = "Delay before a new consumer joins (image pull + JVM start on Kubernetes).")
    Duration startDelay;

    @Override
    public Integer call() throws Exception {
        if (rate < 0 || rate > 1_000_000) {
            System.err.println("Invalid option: --rate=" + rate + " must be from 0 to 1000000");
            return Startup.EXIT_INVALID_SETTINGS;
        }
        if (consumers != null && (consumers < 0 || consumers > 200)) {
            System.err.println("Invalid option: --consumers=" + consumers + " must be from 0 to 200");
            return Startup.EXIT_INVALID_SETTINGS;
        }
        ConsumerSettings settings;
        try {
            settings = ConsumerSettings.fromEnv(Env.system());
        } catch (InvalidSettingsException e) {
            e.problems().forEach(p -> System.err.println("Invalid setting: " + p));
            return Startup.EXIT_INVALID_SETTINGS;
        }
        LocalRun.Options options = new LocalRun.Options(rate, partitions, duration, bootstrapServers, metricsPort,
                startDelay, System.console() != null || System.getenv("CI") == null ? System.in : null);
        return new LocalRun().run(options, settings, LocalRun.fixed(consumers == null ? 2 : consumers));
    }
}
