package io.tradetx.cli;

import io.tradetx.common.config.Startup;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.lab.chaos.ChaosMatrix;
import io.tradetx.lab.chaos.ChaosRun;
import io.tradetx.lab.chaos.Fault;
import io.tradetx.consumer.ConsumerSettings;
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

    /** Which group protocols the matrix runs. */
    public enum Protocols {
        CLASSIC(List.of(GroupProtocol.CLASSIC)),
        CONSUMER(List.of(GroupProtocol.CONSUMER)),
        BOTH(List.of(GroupProtocol.CLASSIC, GroupProtocol.CONSUMER));

        final List<GroupProtocol> protocols;

        Protocols(List<GroupProtocol> protocols) {
            this.protocols = protocols;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Converts the name on the command line. */
        public static final class Converter extends EnumConverter<Protocols> {
            public Converter() {
                super(Protocols.class);
            }
        }
    }

    @Option(names = "--protocol", defaultValue = "both", converter = Protocols.Converter.class,
            description = "Group protocol: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE}).")
    Protocols protocol;

    @Option(names = "--messages", defaultValue = "20000", parameterConsumer = RangeCheck.class,
            description = "Messages per fault (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 50_000_000)
    int messages;

    @Option(names = "--rate", defaultValue = "2000", parameterConsumer = RangeCheck.class,
            description = "Producer rate in msg/s, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
    @Range(min = 0)
    int rate;

    @Option(names = "--kills", defaultValue = "5", parameterConsumer = RangeCheck.class,
            description = "Consumers SIGKILLed by the kills fault (default ${DEFAULT-VALUE}).")
    @Range(min = 0, max = 10_000)
    int kills;

    @Option(names = "--oversized", defaultValue = "150", parameterConsumer = RangeCheck.class,
            description = "Trades of 1 MB that oversized-records starts with (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 10_000)
    int oversized;

    @Option(names = "--outage", defaultValue = "40s", parameterConsumer = RangeCheck.class,
            description = "How long the sink or the dead-letter topic is down (default ${DEFAULT-VALUE}).")
    @Range(min = 1)
    Duration outage;

    @Option(names = "--grace", defaultValue = ConsumerSettings.DEFAULT_SHUTDOWN_GRACE_PERIOD_SECONDS + "s",
            parameterConsumer = RangeCheck.class, description = "The consumers' SHUTDOWN_GRACE_PERIOD_SECONDS; after "
            + "SIGTERM a consumer still running then is SIGKILLed and counted (default ${DEFAULT-VALUE}, the Deployment's).")
    @Range(min = ConsumerSettings.MIN_SHUTDOWN_GRACE_PERIOD_SECONDS, max = ConsumerSettings.MAX_SHUTDOWN_GRACE_PERIOD_SECONDS)
    Duration grace;

    @Option(names = "--stall-budget", defaultValue = "60s", parameterConsumer = RangeCheck.class,
            description = "Longest a partition may make no progress "
            + "with records waiting, outside the injected outage (default ${DEFAULT-VALUE}).")
    @Range(min = 1)
    Duration stallBudget;

    @Option(names = "--consumers", defaultValue = "3", parameterConsumer = RangeCheck.class,
            description = "Consumer processes (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 50)
    int consumers;

    @Option(names = "--bootstrap-servers", description = "Use this broker instead of a local one (no broker-restart).")
    String bootstrapServers;

    @Option(names = "--partitions", defaultValue = "12", parameterConsumer = RangeCheck.class,
            description = "Topic partitions (default ${DEFAULT-VALUE}).")
    @Range(min = 1, max = 1000)
    int partitions;

    @Option(names = "--batch-size", defaultValue = "" + ConsumerSettings.DEFAULT_BATCH_SIZE,
            parameterConsumer = RangeCheck.class, description = "BATCH_SIZE of the consumers (default ${DEFAULT-VALUE}).")
    @Range(min = ConsumerSettings.MIN_BATCH_SIZE, max = ConsumerSettings.MAX_BATCH_SIZE)
    int batchSize;

    @Option(names = "--batch-processing-time", defaultValue = "0.05", parameterConsumer = RangeCheck.class,
            description = "BATCH_PROCESSING_TIME in seconds (default ${DEFAULT-VALUE}).")
    @Range(min = 0, max = ConsumerSettings.MAX_BATCH_PROCESSING_SECONDS)
    double batchProcessingTime;

    @Option(names = "--no-broker-restart", description = "Leave broker-restart out of the default faults.")
    boolean noBrokerRestart;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the trades and of the victims (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--timeout", defaultValue = "5m", parameterConsumer = RangeCheck.class,
            description = "Give a fault up after this long (default ${DEFAULT-VALUE}).")
    @Range(min = 10)
    Duration timeout;

    @Option(names = "--work-dir", description = "Where ledgers and consumer logs go (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        List<Fault> chosen = new ArrayList<>();
        List<GroupProtocol> protocols = protocol.protocols;
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
        } catch (IllegalArgumentException e) {
            System.err.println("Invalid option: --faults: " + e.getMessage());
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
