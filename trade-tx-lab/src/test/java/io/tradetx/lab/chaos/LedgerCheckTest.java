package io.tradetx.lab.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.producer.TradeGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The accounting of a chaos run: stored or dead-lettered, never neither; duplicates; order; misplaced dead letters. */
class LedgerCheckTest {

    @Test
    void everyAcknowledgedMessageMustBeStoredOrDeadLettered(@TempDir Path dir) throws Exception {
        LedgerCheck.Produced produced = new LedgerCheck.Produced(6);
        LedgerCheck.Kind[] kinds = {LedgerCheck.Kind.TRADE, LedgerCheck.Kind.TRADE, LedgerCheck.Kind.NOT_A_TRADE,
            LedgerCheck.Kind.REFUSED_BY_SINK, LedgerCheck.Kind.TRADE, LedgerCheck.Kind.TRADE};
        for (int i = 0; i < kinds.length; i++) {
            produced.kind(i, kinds[i]);
            if (i != 5) {
                produced.acknowledged(i, 0, i);
            }
        }
        produced.failed(5); // never acknowledged: not expected anywhere
        Path a = dir.resolve("a.ledger");
        Path b = dir.resolve("b.ledger");
        Files.writeString(a, line(0, "ACC1", 10) + line(1, "ACC2", 11) + line(0, "ACC1", 30));
        Files.writeString(b, line(4, "ACC2", 5)); // stored before trade 1 of the same account: out of order
        LedgerCheck.Result r = LedgerCheck.check(List.of(a, b), produced, List.of(
                new LedgerCheck.DeadLetter(0, 2, true), new LedgerCheck.DeadLetter(0, 3, true),
                new LedgerCheck.DeadLetter(0, 3, true), new LedgerCheck.DeadLetter(0, 1, true),
                new LedgerCheck.DeadLetter(-1, -1, false)), java.util.Map.of(0, 6L));
        assertThat(r.expected()).isEqualTo(5);
        assertThat(r.lost()).isZero();
        assertThat(r.duplicates()).as("trade 0 stored twice, 3 dead-lettered twice, 1 stored and dead-lettered")
                .isEqualTo(3);
        assertThat(r.orderViolations()).isEqualTo(1);
        assertThat(r.wronglyDeadLettered()).as("trade 1 is valid").isEqualTo(1);
        assertThat(r.deadLettersWithoutContext()).isEqualTo(1);

        LedgerCheck.Result missing = LedgerCheck.check(List.of(a), produced, List.of(), java.util.Map.of(0, 6L));
        assertThat(missing.lost()).as("2, 3 and 4 are nowhere, yet committed past").isEqualTo(3);
        assertThat(missing.lostSample()).containsExactly(2L, 3L, 4L);
        LedgerCheck.Result early = LedgerCheck.check(List.of(a), produced, List.of(), java.util.Map.of(0, 3L));
        assertThat(early.lost()).as("2 is below the committed offset 3").isEqualTo(1);
        assertThat(early.pending()).as("3 and 4 wait in Kafka for the next owner").isEqualTo(2);
    }

    private static String line(int seq, String account, long micros) {
        return TradeGenerator.uniqueTradeId(seq) + " " + account + " 0 " + seq + " " + micros + "\n";
    }
}
