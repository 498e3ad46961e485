package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.LocalKafkaBroker;
import io.tradetx.testkit.TestKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka unreachable when the consumer process starts, and restarted while it runs (its own broker,
 * not the shared one): clear log lines, reconnection, and every trade stored.
 */
class BrokerOutageTest {

    @Test
    void consumerWaitsForAnUnreachableBrokerAtStartAndSurvivesItsRestart(@TempDir Path dir) throws Exception {
        int port = FreePort.find();
        String bootstrap = "127.0.0.1:" + port;
        Path ledger = dir.resolve("ledger.txt");
        Path log = dir.resolve("consumer.log");
        Process consumer = ChildJvm.start(ConsumerMain.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "KAFKA_TOPIC", "outage",
                "TOPIC_PARTITIONS", "4",
                "KAFKA_CLIENT_DEFAULT_API_TIMEOUT_MS", "3000",
                "KAFKA_CLIENT_REQUEST_TIMEOUT_MS", "3000",
                "CONSUMER_GROUP", "outage-group",
                "BATCH_PROCESSING_TIME", "0",
                "METRICS_PORT", String.valueOf(FreePort.find()),
                "SINK", "ledger",
                "LEDGER_FILE", ledger.toString()), log);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> ChildJvm.output(log).contains("Kafka unreachable at "
                    + bootstrap));
            assertThat(consumer.isAlive()).as("waits instead of exiting").isTrue();

            try (LocalKafkaBroker broker = LocalKafkaBroker.start(dir.resolve("kafka"), true, port, Map.of())) {
                KafkaSettings kafka = KafkaSettings.local(bootstrap, "outage", 4);
                try (Admin admin = TestKafka.admin(kafka)) {
                    TopicProvisioner.ensureTopic(admin, "outage", 4, (short) 1, Map.of());
                }
                TestTrades.produce(kafka, 1000);
                await().atMost(Duration.ofSeconds(60)).until(() -> lines(ledger).size() >= 1000);
                assertThat(ChildJvm.output(log)).contains("Kafka at " + bootstrap + " is reachable after");

                broker.restart(); // mid-run: SIGTERM the broker, start it on the same data and port
                TestTrades.produce(kafka, 1000); // the same ids again: 2000 lines, each id twice
                await().atMost(Duration.ofSeconds(60)).until(() -> lines(ledger).size() >= 2000);
                Thread.sleep(1000);
                List<String> stored = lines(ledger);
                Map<String, Integer> times = new HashMap<>();
                stored.forEach(l -> times.merge(l.split(" ")[0], 1, Integer::sum));
                assertThat(times).as("every trade id").hasSize(1000);
                assertThat(times.values()).as("each of the two sends stored: nothing lost").allMatch(n -> n >= 2);
                // A restart longer than the session timeout may re-deliver the one batch that was uncommitted.
                assertThat(stored.size() - 2000).as("redeliveries").isLessThanOrEqualTo(100);
                consumer.destroy();
                assertThat(consumer.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(consumer.exitValue()).as(ChildJvm.output(log)).isZero();
            }
            String out = ChildJvm.output(log);
            assertThat(out).as("the broker's absence is logged by the client")
                    .contains("could not be established");
        } finally {
            consumer.destroyForcibly();
        }
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }
}
