package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while the sink or the dead-letter topic is down, to a consumer process as in a pod: it
 * reports itself stalled (/ready 503, trade_tx_consumer_stalled 1) before, exits 0 inside
 * SHUTDOWN_GRACE_PERIOD_SECONDS after, and the group's committed offsets never pass a record that is
 * not in the ledger.
 */
@ExtendWith(SharedBroker.class)
class ShutdownUnderOutageTest {
    /** The smallest allowed grace period: 5 s of drain, the rest as in production. */
    private static final int GRACE_SECONDS = 25;
    private static final Pattern LEDGER_LINE = Pattern.compile("\\S+ \\S+ (\\d+) (\\d+) \\d+");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void sigtermDuringASinkOutageExitsInsideTheBudgetCommittingOnlyStoredRecords(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("sink-outage"), 3);
        String group = TestKafka.unique("g");
        TestTrades.produce(kafka, 600);
        Path ledger = dir.resolve("ledger.txt");
        int port = FreePort.find();
        Map<String, String> env = env(kafka, group, ledger, port);
        env.put("OUTAGE_AFTER", "200");
        Process consumer = ChildJvm.start(OutageConsumerMain.class, env, dir.resolve("consumer.log"));
        long exitMs = stopWhenStalled(consumer, port, dir.resolve("consumer.log"));
        assertThat(exitMs).as("exit after SIGTERM").isLessThan(GRACE_SECONDS * 1000L);
        Map<Integer, Set<Long>> stored = ledger(ledger);
        assertThat(stored.values().stream().mapToInt(Set::size).sum()).as("stored before the outage").isEqualTo(200);
        assertCommittedOnlyStored(kafka, group, stored, Map.of());
    }

    @Test
    void sigtermDuringADeadLetterOutageExitsInsideTheBudgetCommittingNothingPastTheBadRecord(@TempDir Path dir)
            throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("dlq-outage"), 3);
        String group = TestKafka.unique("g");
        TestTrades.produce(kafka, 300);
        Path ledger = dir.resolve("ledger.txt");
        Path log = dir.resolve("consumer.log");
        int port = FreePort.find();
        Process consumer = ChildJvm.start(ConsumerMain.class, env(kafka, group, ledger, port), log);
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ledger) && Files.readAllLines(ledger).size() >= 300);
        // The dead-letter topic goes away (auto-create is off, as on MSK): every dead letter now waits for
        // its metadata and fails, again and again, until the topic is back. The outage.
        try (Admin admin = TestKafka.admin(kafka)) {
            admin.deleteTopics(List.of(kafka.topic() + ".dlq")).all().get(30, TimeUnit.SECONDS);
        }
        long badOffset;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientProperties.producer(kafka, "test-bad"))) {
            RecordMetadata md = producer.send(new ProducerRecord<>(kafka.topic(), 0, "ACC1000",
                    "not a trade".getBytes(StandardCharsets.UTF_8))).get();
            badOffset = md.offset();
        }
        TestTrades.produce(kafka, 100);
        long exitMs = stopWhenStalled(consumer, port, log);
        assertThat(exitMs).as("exit after SIGTERM").isLessThan(GRACE_SECONDS * 1000L);
        assertThat(ChildJvm.output(log)).contains("Dead-letter publish failed");
        assertCommittedOnlyStored(kafka, group, ledger(ledger), Map.of(0, badOffset));
    }

    private static Map<String, String> env(KafkaSettings kafka, String group, Path ledger, int port) {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("KAFKA_TOPIC", kafka.topic());
        env.put("CONSUMER_GROUP", group);
        env.put("BATCH_SIZE", "50");
        env.put("BATCH_PROCESSING_TIME", "0");
        env.put("METRICS_PORT", String.valueOf(port));
        env.put("SINK", "ledger");
        env.put("LEDGER_FILE", ledger.toString());
        env.put("SINK_STALL_SECONDS", "2");
        env.put("SHUTDOWN_GRACE_PERIOD_SECONDS", String.valueOf(GRACE_SECONDS));
        return env;
    }

    /** Waits until the process says it is stalled (metric and /ready), sends SIGTERM; returns ms to exit 0. */
    private long stopWhenStalled(Process consumer, int port, Path log) throws Exception {
        try {
            try {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> "1.0".equals(metric(port, "trade_tx_consumer_stalled")));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("never stalled:\n" + ChildJvm.output(log), e);
            }
            assertThat(status(port, "/ready")).as("a stalled pod is not ready").isEqualTo(503);
            assertThat(status(port, "/healthz")).as("but alive: no restart for an outage").isEqualTo(200);
            long sigterm = System.nanoTime();
            consumer.destroy();
            assertThat(consumer.waitFor(GRACE_SECONDS + 10, TimeUnit.SECONDS)).as("exited").isTrue();
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sigterm);
            System.out.printf("Consumer exited %d ms after SIGTERM (SHUTDOWN_GRACE_PERIOD_SECONDS=%d)%n", ms,
                    GRACE_SECONDS);
            assertThat(consumer.exitValue()).as(ChildJvm.output(log)).isZero();
            assertThat(ChildJvm.output(log)).contains("Consumer closed");
            return ms;
        } finally {
            consumer.destroyForcibly();
        }
    }

    /**
     * Every committed offset covers only ledger records (the topic has no gaps: offsets 0..c-1 must all
     * be there), and stays at or below the given per-partition limits.
     */
    private static void assertCommittedOnlyStored(KafkaSettings kafka, String group, Map<Integer, Set<Long>> stored,
                                                  Map<Integer, Long> limits) throws Exception {
        try (Admin admin = TestKafka.admin(kafka)) {
            List<GroupLagReader.PartitionLag> lags = new GroupLagReader(admin, kafka.topic(), group).read();
            long committedTotal = 0;
            for (GroupLagReader.PartitionLag l : lags) {
                Set<Long> offsets = stored.getOrDefault(l.partition(), Set.of());
                for (long o = 0; o < l.committed(); o++) {
                    assertThat(offsets).as("partition %d committed %d but offset %d is not stored", l.partition(),
                            l.committed(), o).contains(o);
                }
                if (limits.containsKey(l.partition())) {
                    assertThat(l.committed()).isLessThanOrEqualTo(limits.get(l.partition()));
                }
                committedTotal += Math.max(0, l.committed());
            }
            assertThat(committedTotal).as("the batches stored before the outage were committed").isPositive();
            assertThat(GroupLagReader.totalLag(lags)).as("the outage left records to read again").isPositive();
        }
    }

    static Map<Integer, Set<Long>> ledger(Path file) throws Exception {
        Map<Integer, Set<Long>> out = new HashMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file)) {
            Matcher m = LEDGER_LINE.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            out.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new HashSet<>()).add(Long.parseLong(m.group(2)));
        }
        return out;
    }

    private int status(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** One untagged metric's value from /metrics, or null. */
    private String metric(int port, String name) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(body);
            return m.find() ? m.group(1) : null;
        } catch (Exception notUpYet) {
            return null;
        }
    }
}
