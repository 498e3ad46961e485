package io.tradetx.consumer.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.common.config.Env;
import io.tradetx.consumer.ConsumerSettings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SINK picks the sink every process writes to. */
class SinksTest {
    @Test
    void theDefaultIsTheSimulatedDatabaseWrite() throws Exception {
        try (TradeSink sink = Sinks.fromSettings(ConsumerSettings.fromEnv(new Env(Map.of())))) {
            assertThat(sink).isInstanceOf(SimulatedDbSink.class);
        }
    }

    @Test
    void ledgerRecordsTheSimulatedWriteInTheLedgerFile(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("ledger.txt");
        ConsumerSettings settings = ConsumerSettings.fromEnv(new Env(Map.of("SINK", "ledger",
                "LEDGER_FILE", ledger.toString(), "BATCH_PROCESSING_TIME", "0")));
        try (TradeSink sink = Sinks.fromSettings(settings)) {
            assertThat(sink).isInstanceOf(LedgerFileSink.class);
        }
        assertThat(ledger).exists();
    }
}
