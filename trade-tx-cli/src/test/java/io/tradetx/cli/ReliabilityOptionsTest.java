package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every checked option of chaos, replay, local, simulate, tune and profile: one bad value each, exit code 2 and one line naming the
 * option and what is allowed (ranges checked by picocli through RangeCheck, enums listed by picocli).
 */
class ReliabilityOptionsTest {

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource(delimiter = '|', value = {
        "chaos  | --messages              | 0     | Invalid option: --messages must be from 1 to 50000000",
        "chaos  | --kills                 | -1    | Invalid option: --kills must be from 0 to 10000",
        "chaos  | --consumers             | 0     | Invalid option: --consumers must be from 1 to 50",
        "chaos  | --partitions            | 0     | Invalid option: --partitions must be from 1 to 1000",
        "chaos  | --batch-size            | 0     | Invalid option: --batch-size must be from 1 to 100000",
        "chaos  | --batch-processing-time | 30    | Invalid option: --batch-processing-time must be from 0 to 25",
        "chaos  | --rate                  | -5    | Invalid option: --rate must be >= 0",
        "chaos  | --faults                | kills,flood | Invalid option: --faults: unknown fault 'flood': one of sink-outage-during-scale-out, sink-rejects-records, oversized-records, dlq-outage, sigterm-during-outage, broker-restart, kills",
        "chaos  | --protocol              | eager | Invalid value for option '--protocol': expected one of classic, consumer, both but was 'eager'",
        "chaos  | --oversized             | 0     | Invalid option: --oversized must be from 1 to 10000",
        "chaos  | --outage                | 0s    | Invalid option: --outage must be at least 1s",
        "chaos  | --grace                 | 10s   | Invalid option: --grace must be from 25s to 3600s",
        "chaos  | --stall-budget          | 0s    | Invalid option: --stall-budget must be at least 1s",
        "chaos  | --timeout               | 5s    | Invalid option: --timeout must be at least 10s",
        "local  | --rate                  | 2000000 | Invalid option: --rate must be from 0 to 1000000 (was 2000000)",
        "local  | --consumers             | 201   | Invalid option: --consumers must be from 0 to 200 (was 201)",
        "local  | --speedup               | 0.5   | Invalid option: --speedup must be from 1 to 1000 (was 0.5)",
        "local  | --partitions            | 0     | Invalid option: --partitions must be from 1 to 10000 (was 0)",
        "local  | --partitions            | many  | Invalid option: --partitions must be from 1 to 10000 (was many)",
        "local  | --scenario              | spike | Invalid value for option '--scenario': expected one of seed-demo, burst, fairness but was 'spike'",
        "local  | --scenario              | fairness | Invalid option: --scenario=fairness needs --tenants (without it: seed-demo or burst)",
        "chaos  | --grace=20s             | | Invalid option: --grace must be from 25s to 3600s (was 20s)",
        "simulate | --partitions          | 10001 | Invalid option: --partitions must be from 1 to 10000 (was 10001)",
        "simulate | --capacity            | 0     | Invalid option: --capacity must be > 0 (was 0)",
        "simulate | --scrape-interval     | 0s    | Invalid option: --scrape-interval must be > 0s (was 0s)",
        "simulate | --protocol            | range | Invalid value for option '--protocol': expected one of classic, consumer, eager, cooperative but was 'range'",
        "bench  | --repeat                | 21    | Invalid option: --repeat must be from 1 to 20 (was 21)",
        "tune   | --top                   | 0     | Invalid option: --top must be >= 1 (was 0)",
        "tune   | --max-reversals         | -1    | Invalid option: --max-reversals must be >= 0 (was -1)",
        "profile | --duration             | 1s    | Invalid option: --duration must be at least 2s (was 1s)",
        "profile | --protocols            | eager,range | Invalid value for option '--protocols' (<protocols>): expected one of classic, consumer, eager, cooperative but was 'range'",
        "replay | --from                  | yesterday | Invalid option: yesterday is not a time such as 2026-01-01T00:00:00Z or 2026-01-01",
        "replay | --to                    | 2025-01-01 | Invalid option: --to 2025-01-01T00:00:00Z is before --from 2026-01-01T00:00:00Z",
        "replay | --group                 | trade-tx-consumer | Invalid option: --group must differ from the live group trade-tx-consumer",
    })
    void rejectsEachBadOptionWithExitTwo(String command, String option, String value, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = command.equals("replay") && !option.equals("--from")
                    ? TradeTxCli.commandLine().execute(command, "--from", "2026-01-01T00:00:00Z", option, value)
                    : value == null ? TradeTxCli.commandLine().execute(command, option) // --option=value
                    : TradeTxCli.commandLine().execute(command, option, value);
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message);
    }
}
