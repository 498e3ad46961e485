package io.tradetx.lab.chaos;

import io.tradetx.protocol.GroupProtocol;
import io.tradetx.testkit.LocalKafkaBroker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos matrix: each chosen fault under each chosen group protocol, one after the other on one
 * broker (a local one unless given), printing one line per fault and a total line with the same
 * fields. It passes only if every fault passed.
 */
public final class ChaosMatrix {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosMatrix.class);
    /**
     * The local broker's KIP-848 session timeout: the 10 s the classic protocol gets from the client
     * (KafkaClientProperties), instead of the broker's default 45 s, so a SIGKILLed member's
     * partitions move as soon under both protocols.
     */
    static final Map<String, String> BROKER_CONFIG = Map.of("group.consumer.session.timeout.ms", "10000",
            "group.consumer.min.session.timeout.ms", "10000");

    /** One fault under one protocol. */
    public record Cell(Fault fault, GroupProtocol protocol) {
    }

    /** Every result, and the faults that could not run at all. */
    public record Outcome(List<ChaosRun.Result> results, List<String> errors) {
        public boolean passed() {
            return errors.isEmpty() && results.stream().allMatch(ChaosRun.Result::passed);
        }

        /** {@code fault=total} with the sums, and the longest stall. */
        public String totalLine() {
            long lost = 0;
            long duplicates = 0;
            long order = 0;
            double stalled = 0;
            for (ChaosRun.Result r : results) {
                lost += r.ledger().lost();
                duplicates += r.ledger().duplicates();
                order += r.ledger().orderViolations();
                stalled = Math.max(stalled, r.stalledSeconds());
            }
            return String.format(Locale.ROOT, "fault=total lost=%d duplicates=%d order_violations=%d stalled_s=%.1f",
                    lost, duplicates, order, stalled);
        }
    }

    private ChaosMatrix() {
    }

    /**
     * @param bootstrapServers another broker, or null to start a local one (needed for broker-restart)
     * @param options the run options of each cell
     */
    public static Outcome run(List<Cell> cells, String bootstrapServers,
                              BiFunction<Fault, GroupProtocol, ChaosRun.Options> options, PrintStream out)
            throws Exception {
        List<ChaosRun.Result> results = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        LocalKafkaBroker broker = null;
        try {
            String bootstrap = bootstrapServers;
            if (bootstrap == null) {
                LOG.info("Starting a local Kafka broker (KRaft, single node)...");
                broker = LocalKafkaBroker.start(Files.createTempDirectory("trade-tx-kafka-"), true, 0, BROKER_CONFIG);
                bootstrap = broker.bootstrapServers();
            }
            for (Cell cell : cells) {
                String protocol = cell.protocol().name().toLowerCase(Locale.ROOT);
                if (cell.fault() == Fault.BROKER_RESTART && broker == null) {
                    errors.add(cell.fault().cliName() + " (" + protocol + "): needs the local broker, not --bootstrap-servers");
                    out.println("fault=" + cell.fault().cliName() + " skipped: needs the local broker protocol=" + protocol);
                    continue;
                }
                try {
                    ChaosRun.Result r = new ChaosRun(options.apply(cell.fault(), cell.protocol()), broker, bootstrap).run();
                    results.add(r);
                    out.println(r.line());
                    out.println(r.details());
                } catch (Exception e) {
                    LOG.error("Fault {} ({}) could not run", cell.fault().cliName(), protocol, e);
                    errors.add(cell.fault().cliName() + " (" + protocol + "): " + e);
                    out.println("fault=" + cell.fault().cliName() + " error=\"" + e + "\" protocol=" + protocol);
                }
                out.flush();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
        Outcome outcome = new Outcome(results, errors);
        out.println(outcome.totalLine());
        out.println("verdict=" + (outcome.passed() ? "PASS" : "FAIL"));
        return outcome;
    }
}
