package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** /metrics is scraped by Prometheus and seen on dashboards: it must carry no trade content. */
@ExtendWith(SharedBroker.class)
class MetricsContentTest {

    @Test
    void metricsOfAConsumerThatProcessedTradesNameNoTradeOrAccount(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("metrics"), 2);
        TestTrades.produce(kafka, 500);
        int port = FreePort.find();
        Path ledger = dir.resolve("ledger.txt");
        Path log = dir.resolve("consumer.log");
        Process consumer = ChildJvm.start(ConsumerMain.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KAFKA_TOPIC", kafka.topic(),
                "CONSUMER_GROUP", TestKafka.unique("g"),
                "BATCH_PROCESSING_TIME", "0",
                "METRICS_PORT", String.valueOf(port),
                "SINK", "ledger",
                "LEDGER_FILE", ledger.toString()), log);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ledger)
                    && Files.readAllLines(ledger).size() >= 500);
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            String body = r.body();
            assertThat(body).contains("kafka_messages_processed_total").contains("kafka_message_age_seconds");
            assertThat(Pattern.compile("TRD\\d{6,}").matcher(body).find()).as("no trade id in /metrics").isFalse();
            assertThat(Pattern.compile("ACC\\d{4,}").matcher(body).find()).as("no account id in /metrics").isFalse();
            for (String line : Files.readAllLines(ledger).subList(0, 50)) {
                String[] f = line.split(" ");
                assertThat(body).doesNotContain(f[0]).doesNotContain(f[1]);
            }
            assertThat(body).doesNotContain("\"symbol\"").doesNotContain("price");
        } finally {
            consumer.destroy();
            consumer.waitFor();
        }
    }
}
