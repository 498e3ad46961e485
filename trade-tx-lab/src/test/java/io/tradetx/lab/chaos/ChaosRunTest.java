package io.tradetx.lab.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.protocol.GroupProtocol;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short fault matrix on its own broker (it is restarted, so not the shared one): every fault once,
 * the group protocols shared out between them; consumers are separate processes with the consumer
 * image's JVM flags. Nothing may be lost or reordered, no partition may stall past the budget outside
 * the injected outage, no consumer may overrun its grace period or crash.
 */
class ChaosRunTest {
    private static final int BATCH_SIZE = 100;
    private static final int MESSAGES = 2000;

    @Test
    void everyFaultOfTheMatrixLosesNothingReordersNothingAndStallsNoPartition(@TempDir Path dir) throws Exception {
        List<ChaosMatrix.Cell> cells = List.of(
                new ChaosMatrix.Cell(Fault.SINK_OUTAGE_DURING_SCALE_OUT, GroupProtocol.CLASSIC),
                new ChaosMatrix.Cell(Fault.SINK_REJECTS_RECORDS, GroupProtocol.CLASSIC),
                new ChaosMatrix.Cell(Fault.OVERSIZED_RECORDS, GroupProtocol.CLASSIC),
                new ChaosMatrix.Cell(Fault.KILLS, GroupProtocol.CLASSIC),
                new ChaosMatrix.Cell(Fault.DLQ_OUTAGE, GroupProtocol.CONSUMER),
                new ChaosMatrix.Cell(Fault.SIGTERM_DURING_OUTAGE, GroupProtocol.CONSUMER),
                new ChaosMatrix.Cell(Fault.BROKER_RESTART, GroupProtocol.CONSUMER));
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        ChaosMatrix.Outcome outcome;
        try (PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8)) {
            outcome = ChaosMatrix.run(cells, null, (f, p) -> new ChaosRun.Options(f, p, MESSAGES, 2000, 2, 6,
                    BATCH_SIZE, 0.05, 1, 120, Duration.ofSeconds(5), Duration.ofSeconds(25), Duration.ofSeconds(45),
                    Duration.ofSeconds(120), dir.resolve(f.cliName()), 7), out);
        }
        String report = printed.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        assertThat(outcome.errors()).as(report).isEmpty();
        assertThat(outcome.results()).hasSize(cells.size());
        for (ChaosRun.Result r : outcome.results()) {
            String fault = r.options().fault().cliName();
            assertThat(report).containsPattern("fault=" + fault + " lost=0 duplicates=\\d+ order_violations=0 "
                    + "stalled_s=\\d+\\.\\d protocol=" + r.options().protocol().name().toLowerCase(Locale.ROOT));
            assertThat(r.problems()).as(fault + "\n" + report).isEmpty();
            assertThat(r.failedSends()).as(fault).isZero();
            switch (r.options().fault()) {
                case SINK_REJECTS_RECORDS -> assertThat(r.ledger().deadLettered()).as("every refused trade")
                        .isGreaterThanOrEqualTo(MESSAGES / ChaosRun.REFUSE_EVERY);
                case DLQ_OUTAGE -> assertThat(r.ledger().deadLettered()).as("every message that is not a trade")
                        .isGreaterThanOrEqualTo(MESSAGES / ChaosRun.NOT_A_TRADE_EVERY);
                case KILLS -> {
                    assertThat(r.kills()).isEqualTo(1);
                    assertThat(r.scaleOuts()).isEqualTo(1);
                    // The consumer's own bound: at most 3 x BATCH_SIZE - 1 re-delivered per crashed member.
                    assertThat(r.ledger().duplicates()).isLessThan(3L * BATCH_SIZE * r.kills());
                }
                case BROKER_RESTART -> assertThat(r.brokerRestarts()).isEqualTo(1);
                case SINK_OUTAGE_DURING_SCALE_OUT -> assertThat(r.scaleOuts()).isEqualTo(1);
                case SIGTERM_DURING_OUTAGE -> assertThat(r.sigterms()).isGreaterThanOrEqualTo(2);
                default -> assertThat(r.ledger().stored() + r.ledger().deadLettered()).as("every message, once at least")
                        .isGreaterThanOrEqualTo(r.ledger().produced());
            }
        }
        assertThat(report).containsPattern("fault=total lost=0 duplicates=\\d+ order_violations=0 stalled_s=\\d+\\.\\d")
                .contains("verdict=PASS");
        assertThat(outcome.passed()).isTrue();
    }
}
