package io.tradetx.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.protocol.GroupProtocol;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every consumer setting: defaults, and one bad value each with the line the user sees. */
class ConsumerSettingsTest {

    @Test
    void defaultsAreTheSeeds() {
        ConsumerSettings s = ConsumerSettings.fromEnv(new Env(Map.of()));
        assertEquals("trade-tx-consumer", s.consumerGroup());
        assertEquals("trade-tx", s.kafka().topic());
        assertEquals(100, s.batchSize());
        assertEquals(Duration.ofMillis(100), s.batchTimeout());
        assertEquals(Duration.ofSeconds(1), s.batchProcessingTime());
        assertEquals(Duration.ZERO, s.messageProcessingTime());
        assertEquals(8000, s.metricsPort());
        assertEquals(GroupProtocol.CLASSIC, s.groupProtocol());
        assertEquals("trade-tx.dlq", s.deadLetterTopic());
        assertEquals(24, s.kafka().topicPartitions());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "BATCH_SIZE            | 0       | BATCH_SIZE=0 is invalid: must be an integer from 1 to 100000",
        "BATCH_SIZE            | 1e3     | BATCH_SIZE=1e3 is invalid: must be an integer from 1 to 100000",
        "BATCH_TIMEOUT_SECONDS | 0       | BATCH_TIMEOUT_SECONDS=0 is invalid: must be a number from 0.001 to 3600",
        "BATCH_TIMEOUT_SECONDS | fast    | BATCH_TIMEOUT_SECONDS=fast is invalid: must be a number from 0.001 to 3600",
        "BATCH_PROCESSING_TIME | -1      | BATCH_PROCESSING_TIME=-1 is invalid: must be a number from 0 to 25",
        "BATCH_PROCESSING_TIME | NaN     | BATCH_PROCESSING_TIME=NaN is invalid: must be a number from 0 to 25",
        "MESSAGE_PROCESSING_TIME | 11    | MESSAGE_PROCESSING_TIME=11 is invalid: must be a number from 0 to 10",
        "METRICS_PORT          | 70000   | METRICS_PORT=70000 is invalid: must be an integer from 1 to 65535",
        "GROUP_PROTOCOL        | kip848  | GROUP_PROTOCOL=kip848 is invalid: must be one of classic, consumer, eager",
        "CONSUMER_GROUP        | ' '     | ",
        "DLQ_TOPIC             | trade-tx | DLQ_TOPIC=trade-tx is invalid: must be a Kafka topic name other than KAFKA_TOPIC",
        "SINK                  | s3      | SINK=s3 is invalid: must be one of simulated, ledger, postgres",
        "SINK                  | postgres | SINK_JDBC_URL is not set: must be a jdbc:postgresql://host:port/database URL when SINK=postgres",
        "SINK                  | ledger  | LEDGER_FILE is not set: must be a writable file path when SINK=ledger",
        "KAFKA_TOPIC           | a/b     | KAFKA_TOPIC=a/b is invalid: must be a Kafka topic name: 1-249 of letters, digits, '.', '_', '-'",
    })
    void rejectsEachBadValueWithOneLine(String name, String value, String message) {
        if (message == null) {
            // A blank value counts as unset, as in a Kubernetes env entry with an empty value.
            assertEquals("trade-tx-consumer", ConsumerSettings.fromEnv(new Env(Map.of(name, value))).consumerGroup());
            return;
        }
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> ConsumerSettings.fromEnv(new Env(Map.of(name, value))));
        assertEquals(List.of(message), e.problems());
    }

    @Test
    void postgresSinkNeedsAPostgresUrlAndASafeTableNameAndNeverLogsThePassword() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ConsumerSettings.fromEnv(
                new Env(Map.of("SINK", "postgres", "SINK_JDBC_URL", "jdbc:mysql://db/x", "SINK_TABLE", "t; drop"))));
        assertEquals(List.of("SINK_JDBC_URL=jdbc:mysql://db/x is invalid: must be a jdbc:postgresql://host:port/database URL",
                "SINK_TABLE=t; drop is invalid: must be a lower-case SQL identifier (letters, digits, _)"), e.problems());
        ConsumerSettings ok = ConsumerSettings.fromEnv(new Env(Map.of("SINK", "postgres",
                "SINK_JDBC_URL", "jdbc:postgresql://db:5432/trades", "SINK_JDBC_USER", "app",
                "SINK_JDBC_PASSWORD", "s3cret")));
        assertEquals("trades", ok.jdbc().table());
        assertEquals(false, ok.describe().contains("s3cret"), ok.describe());
    }

    @Test
    void aBatchThatCannotFinishWithinTheDrainIsRejected() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ConsumerSettings.fromEnv(
                new Env(Map.of("BATCH_SIZE", "1000", "MESSAGE_PROCESSING_TIME", "0.05", "BATCH_PROCESSING_TIME", "1"))));
        assertEquals(List.of("MESSAGE_PROCESSING_TIME=0.05 is invalid: must be small enough that BATCH_PROCESSING_TIME"
                + " + BATCH_SIZE x MESSAGE_PROCESSING_TIME <= 25 s (now 51.0 s)"), e.problems());
    }

    @Test
    void theLimitsHaveDefaultsDerivedFromTheGracePeriodAndTheHeapAndRejectBadValues() {
        ConsumerSettings s = ConsumerSettings.fromEnv(new Env(Map.of()));
        assertEquals(Duration.ofSeconds(45), s.limits().shutdownGracePeriod());
        assertEquals(Duration.ofSeconds(25), s.shutdownBudget().drain());
        assertEquals(Duration.ofSeconds(60), s.limits().sinkStall());
        assertEquals(64 * 1024, s.limits().maxRecordBytes());
        long heapShare = Runtime.getRuntime().maxMemory() / 100 * ConsumerSettings.HEAP_SHARE_FOR_BUFFER_PERCENT;
        assertEquals(Math.min(1L << 30, Math.max(heapShare, 2L * 64 * 1024 + 1024 * 1024)), s.limits().maxBufferBytes());
        assertEquals(Duration.ofSeconds(60), s.maxPollInterval());

        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ConsumerSettings.fromEnv(
                new Env(Map.of("SHUTDOWN_GRACE_PERIOD_SECONDS", "20", "SINK_STALL_SECONDS", "0",
                        "MAX_RECORD_BYTES", "2000000", "MAX_BUFFER_BYTES", "100"))));
        assertEquals(List.of(
                "SHUTDOWN_GRACE_PERIOD_SECONDS=20 is invalid: must be an integer from 25 to 3600",
                "SINK_STALL_SECONDS=0 is invalid: must be an integer from 1 to 86400",
                "MAX_RECORD_BYTES=2000000 is invalid: must be an integer from 1024 to 1040384",
                "MAX_BUFFER_BYTES=100 is invalid: must be an integer from 1048576 to 1073741824"), e.problems());

        InvalidSettingsException small = assertThrows(InvalidSettingsException.class, () -> ConsumerSettings.fromEnv(
                new Env(Map.of("MAX_RECORD_BYTES", "1000000", "MAX_BUFFER_BYTES", "1500000"))));
        assertEquals(List.of("MAX_BUFFER_BYTES=1500000 is invalid: must be at least twice MAX_RECORD_BYTES (2000000), "
                + "so one batch in flight and one waiting fit"), small.problems());
    }

    @Test
    void aShorterGracePeriodShortensTheDrainOneBatchMustFitIn() {
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class, () -> ConsumerSettings.fromEnv(
                new Env(Map.of("SHUTDOWN_GRACE_PERIOD_SECONDS", "30", "BATCH_PROCESSING_TIME", "12"))));
        assertEquals(List.of("MESSAGE_PROCESSING_TIME=0.0 is invalid: must be small enough that BATCH_PROCESSING_TIME"
                + " + BATCH_SIZE x MESSAGE_PROCESSING_TIME <= 10 s (now 12.0 s)"), e.problems());
        ConsumerSettings ok = ConsumerSettings.fromEnv(new Env(Map.of("SHUTDOWN_GRACE_PERIOD_SECONDS", "120",
                "BATCH_PROCESSING_TIME", "25", "KAFKA_CLIENT_MAX_POLL_INTERVAL_MS", "90000")));
        assertEquals(Duration.ofSeconds(100), ok.shutdownBudget().drain());
        assertEquals(Duration.ofSeconds(90), ok.maxPollInterval());
    }

    @Test
    void reportsEveryProblemAtOnce() {
        Map<String, String> env = new HashMap<>();
        env.put("BATCH_SIZE", "x");
        env.put("METRICS_PORT", "y");
        env.put("KAFKA_AUTH", "kerberos");
        InvalidSettingsException e = assertThrows(InvalidSettingsException.class,
                () -> ConsumerSettings.fromEnv(new Env(env)));
        assertEquals(3, e.problems().size(), e.getMessage());
    }
}
