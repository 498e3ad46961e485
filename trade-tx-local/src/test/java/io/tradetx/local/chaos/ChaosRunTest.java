package io.tradetx.local.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small chaos run on its own broker (it is restarted mid-run, so not the shared one): consumers as
 * separate processes, SIGKILLs, scale out and in, a broker restart; nothing may be lost or reordered.
 */
class ChaosRunTest {

    @Test
    void twentyThousandTradesSurviveFiveKillsScalingAndABrokerRestart(@TempDir Path dir) throws Exception {
        ChaosRun.Result r = new ChaosRun(new ChaosRun.Options(20_000, 5, null, 3, 12, 100, 0.05, 2000, true, dir, 7,
                Duration.ofMinutes(2))).run();
        System.out.println(r.summary());
        assertThat(r.drained()).as("group lag reached 0").isTrue();
        assertThat(r.kills()).isEqualTo(5);
        assertThat(r.brokerRestarts()).isEqualTo(1);
        assertThat(r.scaleOuts()).isEqualTo(1);
        assertThat(r.sigterms()).isGreaterThanOrEqualTo(1);
        assertThat(r.failedSends()).isZero();
        assertThat(r.ledger().lost()).as(r.summary()).isZero();
        assertThat(r.ledger().duplicates()).as(r.summary()).isLessThanOrEqualTo(5L * 100);
        assertThat(r.ledger().orderViolations()).as(r.summary()).isZero();
        assertThat(r.ledger().unexpected()).isZero();
        assertThat(r.crashes()).as("no consumer exited by itself").isZero();
        assertThat(r.passed()).isTrue();
    }
}
