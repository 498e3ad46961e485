package io.tradetx.local.chaos;

import io.tradetx.common.config.Startup;
import io.tradetx.protocol.GroupProtocol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code trade-tx chaos}: the fault matrix; each fault alone, then an account of every message. */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        header = "Inject faults one by one under both group protocols; prove nothing is lost or stalled.",
        description = {"For each fault (and each group protocol): a fresh topic, keyed messages with unique ids,",
            "consumers as separate OS processes writing ledgers, the fault injected while they work; then every",
            "message is accounted for from the ledgers and the dead-letter topic. Prints per fault",
            "'fault=NAME lost=0 duplicates=N order_violations=0 stalled_s=S protocol=P' and a total line.",
            "Exit 1 if anything was lost or reordered, a partition stalled past --stall-budget outside the",
            "injected outage, a consumer overran its grace period or crashed, or the lag did not reach 0.",
            "Faults: sink-outage-during-scale-out, sink-rejects-records, oversized-records, dlq-outage,",
            "sigterm-during-outage, broker-restart, kills."})
public final class ChaosCommand implements Callable<Integer> {
    @Option(names = "--faults", split = ",", paramLabel = "FAULT",
            description = "Faults to run, comma-separated (default: all).")
    List<String> faults;

    @Option(names = "--protocol", defaultValue = "both",
            description = "Group protocol: classic, consumer or both (default ${DEFAULT-VALUE}).")
    String protocol;

    @Option(names = "--messages", defaultValue = "20000", description = "Messages per fault (default ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--rate", defaultValue = "2000", description = "Producer rate in msg/s, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--kills", defaultValue = "5", description = "Consumers SIGKILLed by the kills fault (default ${DEFAULT-VALUE}).")
    int kills;

    @Option(names = "--oversized", defaultValue = "150",
            description = "Trades of 1 MB that oversized-records starts with (default ${DEFAULT-VALUE}).")
    int oversized;

    @Option(names = "--outage", defaultValue = "40s",
            description = "How long the sink or the dead-letter topic is down (default ${DEFAULT-VALUE}).")
    Duration outage;

    @Option(names = "--grace", defaultValue = "45s", description = "The consumers' SHUTDOWN_GRACE_PERIOD_SECONDS; after "
            + "SIGTERM a consumer still running then is SIGKILLed and counted (default ${DEFAULT-VALUE}, the Deployment's).")
    Duration grace;

    @Option(names = "--stall-budget", defaultValue = "60s", description = "Longest a partition may make no progress "
            + "with records waiting, outside the injected outage (default ${DEFAULT-VALUE}).")
    Duration stallBudget;

    @Option(names = "--consumers", defaultValue = "3", description = "Consumer processes (default ${DEFAULT-VALUE}).")
    int consumers;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of a local one (no broker-restart).")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "12", description = "Topic partitions (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--batch-size", defaultValue = "100", description = "BATCH_SIZE of the consumers (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--batch-processing-time", defaultValue = "0.05",
            description = "BATCH_PROCESSING_TIME in seconds (default ${DEFAULT-VALUE}).")
    double batchProcessingTime;

    @Option(names = "--no-broker-restart", description = "Leave broker-restart out of the default faults.")
    boolean noBrokerRestart;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the trades and of the victims (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "5m", description = "Give a fault up after this long (default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--work-dir", description = "Where ledgers and consumer logs go (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        List<Fault> chosen = new ArrayList<>();
        List<GroupProtocol> protocols = new ArrayList<>();
        String problem = null;
        try {
            if (faults == null || faults.isEmpty()) {
                for (Fault f : Fault.values()) {
                    if (!(f == Fault.BROKER_RESTART && (noBrokerRestart || bootstrapServers != null))) {
                        chosen.add(f);
                    }
                }
            } else {
                for (String f : faults) {
                    chosen.add(Fault.parse(f));
                }
            }
            switch (protocol.toLowerCase(Locale.ROOT)) {
                case "classic" -> protocols.add(GroupProtocol.CLASSIC);
                case "consumer" -> protocols.add(GroupProtocol.CONSUMER);
                case "both" -> protocols.addAll(List.of(GroupProtocol.CLASSIC, GroupProtocol.CONSUMER));
                default -> problem = "--protocol must be classic, consumer or both";
            }
        } catch (IllegalArgumentException e) {
            problem = "--faults: " + e.getMessage();
        }
        if (problem == null) {
            problem = messages < 1 || messages > 50_000_000 ? "--messages must be from 1 to 50000000"
                    : kills < 0 || kills > 10_000 ? "--kills must be from 0 to 10000"
                    : oversized < 1 || oversized > 10_000 ? "--oversized must be from 1 to 10000"
                    : consumers < 1 || consumers > 50 ? "--consumers must be from 1 to 50"
                    : partitions < 1 || partitions > 1000 ? "--partitions must be from 1 to 1000"
                    : batchSize < 1 || batchSize > 100_000 ? "--batch-size must be from 1 to 100000"
                    : !(batchProcessingTime >= 0 && batchProcessingTime <= 25) ? "--batch-processing-time must be from 0 to 25"
                    : rate < 0 ? "--rate must be >= 0"
                    : outage.toSeconds() < 1 ? "--outage must be at least 1s"
                    // The consumer's SHUTDOWN_GRACE_PERIOD_SECONDS range.
                    : grace.toSeconds() < 25 || grace.toSeconds() > 3600 ? "--grace must be from 25s to 3600s"
                    : stallBudget.toSeconds() < 1 ? "--stall-budget must be at least 1s"
                    : timeout.toSeconds() < 10 ? "--timeout must be at least 10s" : null;
        }
        if (problem != null) {
            System.err.println("Invalid option: " + problem);
            return Startup.EXIT_INVALID_SETTINGS;
        }
        Path dir = workDir != null ? workDir : Files.createTempDirectory("trade-tx-chaos-");
        List<ChaosMatrix.Cell> cells = new ArrayList<>();
        for (GroupProtocol p : protocols) {
            for (Fault f : chosen) {
                cells.add(new ChaosMatrix.Cell(f, p));
            }
        }
        ChaosMatrix.Outcome outcome = ChaosMatrix.run(cells, bootstrapServers, (f, p) -> new ChaosRun.Options(f, p,
                messages, rate, consumers, partitions, batchSize, batchProcessingTime, kills, oversized, outage, grace,
                stallBudget, timeout, dir.resolve(f.cliName() + "-" + p.name().toLowerCase(Locale.ROOT)), seed),
                System.out);
        System.out.println("ledgers and consumer logs: " + dir);
        return outcome.passed() ? 0 : 1;
    }
}
