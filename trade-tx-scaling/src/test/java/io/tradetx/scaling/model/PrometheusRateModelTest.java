package io.tradetx.scaling.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model's rate() against a real Prometheus: the same scraped counter samples go to {@code promtool test
 * rules}, which evaluates the ingest-rate query at the times the model read it and must get the model's values
 * (extrapolation to the range's edges, empty results with fewer than two samples). Query times avoid a sample on
 * the range's start, where Prometheus 2 (Debian's) includes it and Prometheus 3 (kube-prometheus-stack) does
 * not; the model follows Prometheus 3.
 */
class PrometheusRateModelTest {
    private static final long BASE = (long) PrometheusRateScaler.LONG_RUNNING_COUNTER;

    @Test
    void theModelsRateIsWhatPrometheusComputes(@TempDir Path dir) throws Exception {
        Path promtool = Path.of("/usr/bin/promtool");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(promtool).as(".ci/run installs the Debian package prometheus").exists();
        }
        assumeTrue(Files.isExecutable(promtool), "promtool is not installed (apt-get install prometheus)");

        // Scrapes every 30 s from t = 0; the producer goes from 0 to 1000 msg/s at t = 40 s, then 400 at 130 s.
        PrometheusTriggerSpec trigger = PrometheusTriggerSpec.ingestRate("t", 90, 60).withScrape(30_000, 0);
        PrometheusRateScaler model = new PrometheusRateScaler(trigger);
        List<String> values = new ArrayList<>();
        for (int t = 0; t <= 240; t += 30) {
            values.add(Long.toString(BASE + produced(t)));
        }
        StringBuilder tests = new StringBuilder();
        int scraped = 0;
        for (int at : new int[] {20, 45, 50, 75, 80, 100, 125, 140, 170, 190, 205}) {
            for (; scraped <= at; scraped += 30) {
                model.scrape(scraped * 1000L, produced(scraped));
            }
            RateReading r = model.read(at * 1000L);
            tests.append("      - expr: 'sum(rate(kafka_server_BrokerTopicMetrics_Count{name=\"MessagesInPerSec\",topic=\"t\"}[1m]))'\n")
                    .append("        eval_time: ").append(at).append("s\n");
            if (r.samples() < 2) {
                tests.append("        exp_samples: []\n");
            } else {
                tests.append("        exp_samples:\n          - labels: '{}'\n            value: ")
                        .append(Double.toString(r.value())).append('\n');
            }
        }
        String file = """
                rule_files: []
                evaluation_interval: 1m
                tests:
                  - interval: 30s
                    input_series:
                      - series: 'kafka_server_BrokerTopicMetrics_Count{name="MessagesInPerSec",topic="t"}'
                        values: '%s'
                    promql_expr_test:
                %s""".formatted(String.join(" ", values), tests);
        Path test = dir.resolve("rate-test.yaml");
        Files.writeString(test, file);
        Process p = new ProcessBuilder(promtool.toString(), "test", "rules", test.toString()).redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.exitValue()).as(out + "\n" + file).isZero();
        assertThat(out).contains("SUCCESS");
    }

    /** Messages produced by second {@code t}: 1000 msg/s from 40 s, 400 msg/s from 130 s. */
    private static long produced(int t) {
        return 1000L * Math.max(0, Math.min(t, 130) - 40) + 400L * Math.max(0, t - 130);
    }
}
