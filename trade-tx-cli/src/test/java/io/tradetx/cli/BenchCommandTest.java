package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.testkit.SharedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code trade-tx bench} end to end on its short parts: it prints a RESULT line per figure with a
 * number and writes the report. Goals are not asserted: benchmarks are not timed unit tests.
 */
@ExtendWith(SharedBroker.class)
class BenchCommandTest {
    private static final Pattern RESULT = Pattern.compile("(?m)^RESULT ([a-z0-9_]+)=(\\S+)$");

    @Test
    void quickRateAndColdStartPrintNumericResultsAndWriteTheReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("benchmarks.md");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            exit = TradeTxCli.commandLine().execute("bench", "--quick", "--repeat", "1", "--only", "rate,coldstart",
                    "--bootstrap-servers", SharedBroker.bootstrapServers(), "--output", report.toString());
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        Map<String, Double> results = new LinkedHashMap<>();
        Matcher m = RESULT.matcher(out);
        while (m.find()) {
            results.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        assertThat(results).as(out).containsOnlyKeys("rate_error_pct_10", "rate_error_pct_100", "rate_error_pct_1000",
                "rate_error_pct_10000", "rate_error_pct_50000", "cold_start_ms");
        assertThat(results.values()).allSatisfy(v -> assertThat(v).isFinite().isNotNegative());
        assertThat(results.get("cold_start_ms")).isPositive();
        String md = Files.readString(report);
        assertThat(md).contains("# Benchmarks", "Kafka: ", "Java: ", "cores", "./trade-tx bench --quick",
                "| `cold_start_ms` |", "| `rate_error_pct_50000` |");
    }
}
