package io.tradetx.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.InvalidSettingsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Producer settings: defaults and one bad value each. */
class ProducerSettingsTest {

    @Test
    void defaultsToIdleAtPort8000() {
        ProducerSettings s = ProducerSettings.fromEnv(new Env(Map.of()));
        assertEquals(0, s.messagesPerSecond());
        assertEquals(8000, s.metricsPort());
        assertEquals(null, s.rateFile());
        assertEquals(java.time.Duration.ofSeconds(30), s.shutdownGracePeriod());
        assertEquals(java.time.Duration.ofSeconds(28), s.shutdownBudget());
        ProducerSettings withFile = ProducerSettings.fromEnv(new Env(Map.of("RATE_FILE", "/etc/trade-tx/rate",
                "MESSAGES_PER_SECOND", "1000")));
        assertEquals(Path.of("/etc/trade-tx/rate"), withFile.rateFile());
        assertEquals(1000, withFile.messagesPerSecond());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "MESSAGES_PER_SECOND | -5      | MESSAGES_PER_SECOND=-5 is invalid: must be an integer from 0 to 1000000",
        "MESSAGES_PER_SECOND | 10.5    | MESSAGES_PER_SECOND=10.5 is invalid: must be an integer from 0 to 1000000",
        "MESSAGES_PER_SECOND | 2000000 | MESSAGES_PER_SECOND=2000000 is invalid: must be an integer from 0 to 1000000",
        "METRICS_PORT        | 0       | METRICS_PORT=0 is invalid: must be an integer from 1 to 65535",
        "SHUTDOWN_GRACE_PERIOD_SECONDS | 2 | SHUTDOWN_GRACE_PERIOD_SECONDS=2 is invalid: must be an integer from 5 to 3600",
    })
    void rejectsBadValues(String name, String value, String message) {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> ProducerSettings.fromEnv(new Env(Map.of(name, value))));
        assertEquals(List.of(message), e.problems());
    }
}
