package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records near the topic's size limit (1 MiB by default) reach a consumer process running with the
 * image's JVM flags and a heap of 30 % of a 256 MiB pod: it does not run out of memory (the image exits
 * on OutOfMemoryError), and every record ends up stored or in the dead-letter topic.
 */
@ExtendWith(SharedBroker.class)
class LargeRecordsTest {
    /** 30 % of 256 MiB, as -XX:MaxRAMPercentage=30 gives in such a pod (the 384 MiB manifest gives 115 MiB). */
    private static final String HEAP = "-Xmx77m";
    private static final int NEAR_LIMIT = 1_046_000;
    private static final int UNDER_MAX_RECORD = 1_000_000;

    @Test
    void recordsNearTheSizeLimitAreStoredOrDeadLetteredWithinTheImageHeap(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("large"), 3);
        String group = TestKafka.unique("g");
        int oversized = 0;
        int bigInvalid = 0;
        int valid = 0;
        Properties props = KafkaClientProperties.producer(kafka, "test-large");
        // Uncompressed, so each record is near the limit on the wire too; the broker accepts 1 MiB batches.
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * 1024 * 1024));
        TradeGenerator generator = new TradeGenerator(5, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 120; i++) {
                String key = "ACC" + (1000 + i % 9);
                byte[] value;
                if (i % 6 == 0) {
                    value = filled(NEAR_LIMIT, 'x'); // over MAX_RECORD_BYTES: dead-lettered undecoded
                    oversized++;
                } else if (i % 6 == 3) {
                    // Decoded (under MAX_RECORD_BYTES), invalid, dead-lettered whole.
                    value = ("{\"account_id\":\"" + "A".repeat(UNDER_MAX_RECORD - 17) + "\"}")
                            .getBytes(StandardCharsets.UTF_8);
                    bigInvalid++;
                } else {
                    Trade t = generator.next(Instant.now());
                    value = TradeJson.encode(t);
                    key = t.accountId();
                    valid++;
                }
                producer.send(new ProducerRecord<>(kafka.topic(), key, value)).get();
            }
        }
        Path ledger = dir.resolve("ledger.txt");
        Path log = dir.resolve("consumer.log");
        Process consumer = ChildJvm.start(ConsumerMain.class,
                List.of(HEAP, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m",
                        "-Xss512k", "-XX:+ExitOnOutOfMemoryError"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                        "KAFKA_TOPIC", kafka.topic(),
                        "CONSUMER_GROUP", group,
                        "BATCH_PROCESSING_TIME", "0",
                        "MAX_RECORD_BYTES", String.valueOf(ConsumerSettings.MAX_RECORD_BYTES_LIMIT),
                        "METRICS_PORT", String.valueOf(FreePort.find()),
                        "SINK", "ledger",
                        "LEDGER_FILE", ledger.toString()), log);
        try (Admin admin = TestKafka.admin(kafka)) {
            GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), group);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !consumer.isAlive() || lag.read().stream()
                            .allMatch(p -> p.committed() >= 0 && p.lag() == 0));
            assertThat(consumer.isAlive()).as("still running (no OutOfMemoryError exit):\n%s",
                    ChildJvm.output(log)).isTrue();
            consumer.destroy();
            assertThat(consumer.waitFor(45, TimeUnit.SECONDS)).isTrue();
            assertThat(consumer.exitValue()).as(ChildJvm.output(log)).isZero();
        } finally {
            consumer.destroyForcibly();
        }
        assertThat(ChildJvm.output(log)).doesNotContain("OutOfMemoryError");
        assertThat(Files.readAllLines(ledger)).hasSize(valid);

        List<ConsumerRecord<byte[], byte[]>> dead = DeadLetterTest.readAll(kafka, kafka.topic() + ".dlq");
        assertThat(dead).hasSize(oversized + bigInvalid);
        long cut = dead.stream().filter(r -> "true".equals(header(r, DeadLetterPublisher.HEADER_TRUNCATED))).count();
        assertThat(cut).as("oversized records, cut to their first KiB").isEqualTo(oversized);
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            if ("true".equals(header(r, DeadLetterPublisher.HEADER_TRUNCATED))) {
                assertThat(r.value()).hasSize(1024);
                assertThat(Long.parseLong(header(r, DeadLetterPublisher.HEADER_SOURCE_BYTES)))
                        .isGreaterThan(NEAR_LIMIT);
            } else {
                assertThat(r.value()).as("decoded, invalid, copied whole").hasSize(UNDER_MAX_RECORD);
            }
        }
    }

    private static byte[] filled(int n, char c) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) c);
        return b;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        Header h = r.headers().lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
