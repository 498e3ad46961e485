package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer's endpoint is up before its first Kafka call: while Kafka cannot be reached (an MSK
 * hiccup at start) the startup and liveness probes pass and /ready says 503, and SIGTERM then exits at once.
 */
class ConsumerStartupTest {

    @Test
    void whileKafkaIsUnreachableHealthzIs200ReadyIs503AndSigtermExitsAtOnce(@TempDir Path dir) throws Exception {
        int port = FreePort.find();
        int nobody = FreePort.find(); // nothing listens here
        Path log = dir.resolve("consumer.log");
        Process consumer = ChildJvm.start(ConsumerMain.class, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + nobody,
                "METRICS_PORT", String.valueOf(port)), log);
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> status(http, port, "/healthz") == 200);
            assertThat(ChildJvm.output(log)).as("still trying to reach Kafka").doesNotContain("Partitions assigned");
            assertThat(status(http, port, "/ready")).isEqualTo(503);
            long sigterm = System.nanoTime();
            consumer.destroy();
            assertThat(consumer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(consumer.exitValue()).as(ChildJvm.output(log)).isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - sigterm)).isLessThan(Duration.ofSeconds(5));
            assertThat(ChildJvm.output(log)).contains("Shutdown requested before the consumer started");
        } finally {
            consumer.destroyForcibly();
        }
    }

    private static int status(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
