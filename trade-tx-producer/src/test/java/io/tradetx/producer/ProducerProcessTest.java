package io.tradetx.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The producer process: probes are answered before Kafka is (healthz 200, ready 503 until the topic
 * exists), and SIGTERM ends it with exit 0 within SHUTDOWN_GRACE_PERIOD_SECONDS, Kafka or not.
 */
@ExtendWith(SharedBroker.class)
class ProducerProcessTest {
    private static final int GRACE_SECONDS = 6;

    @Test
    void answersProbesWhileKafkaIsUnreachableAndStopsWithinTheGracePeriod(@TempDir Path dir) throws Exception {
        int port = FreePort.find();
        Process p = ChildJvm.start(ProducerMain.class, Map.of("KAFKA_BOOTSTRAP_SERVERS",
                "127.0.0.1:" + FreePort.find(), "METRICS_PORT", String.valueOf(port),
                "MESSAGES_PER_SECOND", "10", "SHUTDOWN_GRACE_PERIOD_SECONDS", String.valueOf(GRACE_SECONDS)),
                dir.resolve("producer.log"));
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> status(port, "/healthz") == 200);
            assertThat(status(port, "/ready")).as("not ready: the topic cannot be checked").isEqualTo(503);
            assertStopsWithinGracePeriod(p, dir.resolve("producer.log"));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void isReadyOnceTheTopicExistsAndStopsWithinTheGracePeriod(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = KafkaSettings.local(SharedBroker.bootstrapServers(), TestKafka.unique("producer"), 3);
        int port = FreePort.find();
        Process p = ChildJvm.start(ProducerMain.class, Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "KAFKA_TOPIC", kafka.topic(), "TOPIC_PARTITIONS", "3", "METRICS_PORT", String.valueOf(port),
                "MESSAGES_PER_SECOND", "50", "SHUTDOWN_GRACE_PERIOD_SECONDS", String.valueOf(GRACE_SECONDS)),
                dir.resolve("producer.log"));
        try {
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> status(port, "/ready") == 200);
            assertStopsWithinGracePeriod(p, dir.resolve("producer.log"));
            assertThat(ChildJvm.output(dir.resolve("producer.log"))).contains("Created topic " + kafka.topic())
                    .containsPattern("Producer closed after \\d+ messages \\(\\d+ acknowledged, 0 failed\\)");
        } finally {
            p.destroyForcibly();
        }
    }

    private static void assertStopsWithinGracePeriod(Process p, Path log) throws Exception {
        p.destroy(); // SIGTERM, as the kubelet sends it
        assertThat(p.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)).as(ChildJvm.output(log)).isTrue();
        assertThat(p.exitValue()).as(ChildJvm.output(log)).isZero();
    }

    private static int status(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
