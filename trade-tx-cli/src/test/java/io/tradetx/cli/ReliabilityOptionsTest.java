package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every option of chaos and replay: one bad value each, exit code 2 and one line naming it. */
class ReliabilityOptionsTest {

    @ParameterizedTest(name = "{0} {1}={2}")
    @CsvSource(delimiter = '|', value = {
        "chaos  | --messages              | 0     | --messages must be from 1 to 50000000",
        "chaos  | --kills                 | -1    | --kills must be from 0 to 10000",
        "chaos  | --consumers             | 0     | --consumers must be from 1 to 50",
        "chaos  | --partitions            | 0     | --partitions must be from 1 to 1000",
        "chaos  | --batch-size            | 0     | --batch-size must be from 1 to 100000",
        "chaos  | --batch-processing-time | 30    | --batch-processing-time must be from 0 to 25",
        "chaos  | --rate                  | -5    | --rate must be >= 0",
        "chaos  | --faults                | kills,flood | --faults: unknown fault 'flood': one of sink-outage-during-scale-out, sink-rejects-records, oversized-records, dlq-outage, sigterm-during-outage, broker-restart, kills",
        "chaos  | --protocol              | eager | --protocol must be classic, consumer or both",
        "chaos  | --oversized             | 0     | --oversized must be from 1 to 10000",
        "chaos  | --outage                | 0s    | --outage must be at least 1s",
        "chaos  | --grace                 | 10s   | --grace must be from 25s to 3600s",
        "chaos  | --stall-budget          | 0s    | --stall-budget must be at least 1s",
        "chaos  | --timeout               | 5s    | --timeout must be at least 10s",
        "replay | --from                  | yesterday | yesterday is not a time such as 2026-01-01T00:00:00Z or 2026-01-01",
        "replay | --to                    | 2025-01-01 | --to 2025-01-01T00:00:00Z is before --from 2026-01-01T00:00:00Z",
        "replay | --group                 | trade-tx-consumer | --group must differ from the live group trade-tx-consumer",
    })
    void rejectsEachBadOptionWithExitTwo(String command, String option, String value, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = command.equals("replay") && !option.equals("--from")
                    ? TradeTxCli.commandLine().execute(command, "--from", "2026-01-01T00:00:00Z", option, value)
                    : TradeTxCli.commandLine().execute(command, option, value);
        } finally {
            System.setErr(old);
        }
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Invalid option: " + message);
    }
}
