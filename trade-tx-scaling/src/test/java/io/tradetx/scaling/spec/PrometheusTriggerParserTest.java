package io.tradetx.scaling.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prometheus trigger on the ingest rate: parsed strictly, written back, and only next to one kafka trigger. */
class PrometheusTriggerParserTest {

    static final String QUERY = "sum(rate(kafka_server_BrokerTopicMetrics_Count{name=\\\"MessagesInPerSec\\\","
            + "topic=\\\"t\\\"}[1m]))";

    static String withPrometheus(String triggerExtra, String metadataExtra) {
        return ScaledObjectParserTest.minimal("", "") + """
                    - type: prometheus
                      metricType: AverageValue
                %s      metadata:
                        serverAddress: "http://prometheus.monitoring.svc:9090"
                        query: "%s"
                        threshold: "90"
                %s""".formatted(triggerExtra, QUERY, metadataExtra);
    }

    @Test
    void parsesTheIngestRateTriggerAndWritesItBack() {
        ScaledObjectSpec s = ScaledObjectParser.parse(withPrometheus("", """
                        activationThreshold: "0.5"
                        namespace: "monitoring"
                        ignoreNullValues: "true"
                """));
        PrometheusTriggerSpec p = s.rate();
        assertEquals("http://prometheus.monitoring.svc:9090", p.serverAddress());
        assertEquals(90.0, p.threshold());
        assertEquals(0.5, p.activationThreshold());
        assertEquals(60_000, p.rateWindowMillis());
        assertEquals(Map.of("namespace", "monitoring", "ignoreNullValues", "true"), p.otherMetadata());
        assertEquals(PrometheusTriggerSpec.DEFAULT_SCRAPE_INTERVAL_MILLIS, p.scrapeIntervalMillis());

        String yaml = ScaledObjectWriter.write(s);
        assertTrue(yaml.contains("    - type: prometheus\n      metricType: AverageValue\n"), yaml);
        assertTrue(yaml.contains("threshold: \"90\""), yaml);
        assertEquals(s, ScaledObjectParser.parse(yaml));
        assertNull(ScaledObjectParser.parse(ScaledObjectParserTest.minimal("", "")).rate());
    }

    @Test
    void speedupDividesTheRateWindowAndTheScrapeInterval() {
        PrometheusTriggerSpec p = ScaledObjectParser.parse(withPrometheus("", "")).withSpeedup(10).rate();
        assertEquals(6_000, p.rateWindowMillis());
        assertEquals(3_000, p.scrapeIntervalMillis());
        assertEquals(1_600, p.scrapeOffsetMillis());
    }

    @Test
    void rejectsUnknownFieldsBadValuesAndQueriesTheModelCannotEvaluate() {
        ScaledObjectParseException e = assertThrows(ScaledObjectParseException.class,
                () -> ScaledObjectParser.parse(withPrometheus("", """
                        threshhold: "90"
                        activationThreshold: "-1"
                        ignoreNullValues: "false"
                """)));
        assertEquals(List.of("spec.triggers[1].metadata.threshhold: unknown field",
                "spec.triggers[1].metadata.activationThreshold: must not be negative, was -1.0",
                "spec.triggers[1].metadata.ignoreNullValues: false is not supported by the model: an empty result "
                        + "(fewer than two samples in the window) would be a scaler error; leave the default true "
                        + "(value 0)"), e.problems());

        String otherTopic = withPrometheus("", "").replace("topic=\\\"t\\\"", "topic=\\\"other\\\"");
        assertEquals(List.of("spec.triggers[1].metadata.query: topic=\"other\" is not the kafka trigger's topic t"),
                assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(otherTopic)).problems());
        String lag = withPrometheus("", "").replace(QUERY, "sum(kafka_consumergroup_lag)");
        assertTrue(assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(lag)).problems()
                .get(0).startsWith("spec.triggers[1].metadata.query: the model evaluates only the topic's ingest rate"));
        String value = withPrometheus("", "").replace("metricType: AverageValue\n      metadata:\n        serverAddress",
                "metricType: Value\n      metadata:\n        serverAddress");
        assertTrue(assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(value)).problems()
                .get(0).startsWith("spec.triggers[1].metricType: Value is not supported: the HPA would compare the "
                        + "whole ingest rate with threshold"));
        String noThreshold = withPrometheus("", "").replace("        threshold: \"90\"\n", "");
        assertEquals(List.of("spec.triggers[1].metadata.threshold: required"),
                assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(noThreshold)).problems());
        String cached = withPrometheus("      useCachedMetrics: maybe\n", "");
        assertEquals(List.of("spec.triggers[1].useCachedMetrics: must be true or false, was 'maybe'"),
                assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(cached)).problems());
    }

    @Test
    void needsExactlyOneKafkaTriggerAndAtMostOnePrometheusTrigger() {
        String two = withPrometheus("", "") + withPrometheus("", "").substring(
                withPrometheus("", "").indexOf("    - type: prometheus"));
        assertEquals(List.of("spec.triggers: the model supports at most one prometheus trigger (the topic's ingest "
                        + "rate), found 2"),
                assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(two)).problems());
        String cpu = ScaledObjectParserTest.minimal("", "") + """
                    - type: cpu
                      metadata:
                        value: "50"
                """;
        assertEquals(List.of("spec.triggers[1].type: must be kafka or prometheus, was 'cpu'"),
                assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(cpu)).problems());
        String onlyPrometheus = withPrometheus("", "").replaceFirst("(?s)    - type: kafka.*?(    - type: prometheus)",
                "$1");
        assertTrue(assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(onlyPrometheus))
                .problems().contains("spec.triggers: the model needs exactly one kafka trigger, found 0"));
    }

    @Test
    void queryWindowsAndLabels() {
        IngestRateQuery q = IngestRateQuery.parse(" sum( rate(kafka_server_BrokerTopicMetrics_Count{cluster=\"c\", "
                + "name=\"MessagesInPerSec\",topic=\"t\"}[1m30s]) ) ", "t");
        assertEquals(90_000, q.windowMillis());
        assertEquals(Map.of("cluster", "c", "name", "MessagesInPerSec", "topic", "t"), q.labels());
        assertThrows(IllegalArgumentException.class, () -> IngestRateQuery.parse(
                "sum(rate(kafka_server_BrokerTopicMetrics_Count{name=\"BytesInPerSec\",topic=\"t\"}[1m]))", "t"));
        assertThrows(IllegalArgumentException.class, () -> IngestRateQuery.parse(
                "sum(rate(kafka_server_BrokerTopicMetrics_Count{name=~\"MessagesIn.*\",topic=\"t\"}[1m]))", "t"));
        assertThrows(IllegalArgumentException.class, () -> IngestRateQuery.parse(
                "sum(rate(kafka_server_BrokerTopicMetrics_Count{name=\"MessagesInPerSec\",topic=\"t\"}[0s]))", "t"));
        String written = PrometheusTriggerSpec.ingestRateQuery("t", 60);
        assertEquals("sum(rate(kafka_server_BrokerTopicMetrics_Count{name=\"MessagesInPerSec\",topic=\"t\"}[1m]))",
                written);
        assertEquals(60_000, IngestRateQuery.parse(written, "t").windowMillis());
    }
}
