package io.tradetx.local.chaos;

import io.tradetx.common.config.Startup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx chaos}: kill, scale and restart things under load, then account for every trade. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        header = "Kill, scale and restart consumers and the broker under load; prove nothing is lost.",
        description = {"Produce keyed trades with unique ids, run consumers as separate processes writing ledgers,",
            "SIGKILL and replace random consumers, scale the group out and in, restart the broker once,",
            "then print lost/duplicates/order_violations. Exit 1 if anything was lost (or duplicates exceed",
            "kills x BATCH_SIZE, or a key's trades were stored out of order)."})
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--messages", defaultValue = "200000", description = "Trades to produce (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--kills", defaultValue = "20", description = "Consumers to SIGKILL (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--consumers", defaultValue = "3", description = "Consumer processes (default ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of a local one (no broker restart).")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "12", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--batch-size", defaultValue = "100", description = "BATCH_SIZE of the consumers (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-processing-time", defaultValue = "0.05",
            description = "BATCH_PROCESSING_TIME in seconds (default ${DEFAULT-VALUE}).")
    double batchProcessingTime;

    @Option(names = "--rate", defaultValue = "4000", description = "Producer rate in msg/s, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--no-broker-restart", description = "Do not restart the local broker.")
    boolean noBrokerRestart;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the trades and of the victims (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "20m", description = "Give up after this long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--work-dir", description = "Where ledgers and consumer logs go (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        String problem = messages < 1 || messages > 50_000_000 ? "--messages must be from 1 to 50000000"
                : kills < 0 || kills > 10_000 ? "--kills must be from 0 to 10000"
                : consumers < 1 || consumers > 50 ? "--consumers must be from 1 to 50"
                : partitions < 1 || partitions > 1000 ? "--partitions must be from 1 to 1000"
                : batchSize < 1 || batchSize > 100_000 ? "--batch-size must be from 1 to 100000"
                : !(batchProcessingTime >= 0 && batchProcessingTime <= 25) ? "--batch-processing-time must be from 0 to 25"
                : rate < 0 ? "--rate must be >= 0" : null;
        if (problem != null) {
            System.err.println("Invalid option: " + problem);
            return Startup.EXIT_INVALID_SETTINGS;
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("trade-tx-chaos-");
        ChaosRun.Result result = new ChaosRun(new ChaosRun.Options(messages, kills, bootstrapServers, consumers,
                partitions, batchSize, batchProcessingTime, rate, !noBrokerRestart, dir, seed, timeout)).run();
        System.out.println(result.summary());
        System.out.println("ledgers and consumer logs: " + dir);
        return result.passed() ? 0 : 1;
    }
}
