package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.local.run.LocalRun;
import io.tradetx.local.scale.LocalAutoscaler;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian package) scrapes an autoscaled local run; every dashboard query on the
 * apps' own metrics must return data, so the Grafana panels are known to work with these metric names.
 */
@ExtendWith(SharedBroker.class)
class PrometheusDashboardTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Queries on these metrics only: the rest come from MSK, kube-state-metrics or KEDA on AWS. */
    private static final Pattern APP_METRIC = Pattern.compile(
            "kafka_messages_|kafka_batch_processing|kafka_message_age|trade_tx_|kafka_consumer_fetch_manager|"
                    + "kafka_consumer_rebalances");
    private static final Pattern CLUSTER_METRIC = Pattern.compile("kube_|keda_|kafka_server_|ConsumerLagMetrics");
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyAppPanelQueryReturnsDataFromALocalRun(@TempDir Path dir) throws Exception {
        Path prometheus = Path.of("/usr/bin/prometheus");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(prometheus).as(".ci/run installs the Debian package prometheus").exists();
        }
        assumeTrue(Files.isExecutable(prometheus), "prometheus is not installed (apt-get install prometheus)");

        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("dashboard"), 6);
        String group = TestKafka.unique("g");
        int metricsPort = FreePort.find();
        int prometheusPort = FreePort.find();
        ScaledObjectSpec spec = ScaledObjectFile.load(ROOT.resolve(ScaledObjectFile.DEFAULT_PATH), ROOT,
                Map.of("CONSUMER_GROUP", group, "KAFKA_TOPIC", kafka.topic(), "LAG_THRESHOLD", "200"))
                .withSpeedup(20);
        ConsumerSettings settings = TestConsumers.settings(kafka, group, 50, Duration.ofMillis(100),
                Duration.ofMillis(200), GroupProtocol.CLASSIC);
        AtomicBoolean stop = new AtomicBoolean();
        LocalAutoscaler autoscaler = new LocalAutoscaler(spec, (now, ctx, status) -> !stop.get());
        LocalRun.Options options = new LocalRun.Options(300, 6, Duration.ofMinutes(3), kafka.bootstrapServers(),
                metricsPort, Duration.ZERO, null);
        Thread run = new Thread(() -> {
            try {
                new LocalRun().run(options, settings, autoscaler);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "local-run");
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: trade-tx-local
                    static_configs:
                      - targets: ["127.0.0.1:%d"]
                """.formatted(metricsPort));
        Process server = new ProcessBuilder(prometheus.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        run.start();
        try {
            List<String> queries = appQueries(kafka.topic(), group);
            assertThat(queries).as("dashboard queries on app metrics").hasSizeGreaterThanOrEqualTo(10);
            List<String> empty = new ArrayList<>(queries);
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                empty.removeIf(q -> hasData(prometheusPort, q));
                return empty.isEmpty();
            });
            assertThat(empty).as("queries without data").isEmpty();
        } finally {
            stop.set(true);
            run.join(Duration.ofSeconds(60).toMillis());
            server.destroy();
            server.waitFor();
        }
    }

    private static List<String> appQueries(String topic, String group) throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(ROOT.resolve("dashboards/msk-keda-monitoring.json").toFile());
        // A local run's series carry no namespace: they are what the tenant variable's "All" selects.
        String allTenants = null;
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            if (variable.path("name").asText().equals("tenant")) {
                allTenants = variable.path("allValue").asText();
            }
        }
        assertThat(allTenants).as("the tenant variable's All value").isNotBlank();
        List<String> out = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText("");
                if (APP_METRIC.matcher(expr).find() && !CLUSTER_METRIC.matcher(expr).find()) {
                    out.add(expr.replace("$__rate_interval", "10s").replace("${topic}", topic)
                            .replace("$topic", topic).replace("$consumer_group", group).replace("$tenant", allTenants));
                }
            }
        }
        return out;
    }

    private boolean hasData(int port, String query) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode result = new ObjectMapper().readTree(response.body()).path("data").path("result");
            for (JsonNode series : result) {
                String v = series.path("value").path(1).asText();
                if (!v.equals("NaN")) {
                    return true;
                }
            }
            return false;
        } catch (Exception e) {
            return false;
        }
    }

}
