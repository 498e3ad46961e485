package io.tradetx.scaling.spec;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one PromQL form the model evaluates: the topic's ingest rate from the MSK JMX exporter's per-topic
 * messages-in counter, {@code sum(rate(kafka_server_BrokerTopicMetrics_Count{name="MessagesInPerSec",
 * topic="T"}[W]))}. Other equality labels (e.g. {@code cluster}) may narrow the selection.
 *
 * @param labels       the selector's labels in query order
 * @param windowMillis the range of {@code rate()}
 */
public record IngestRateQuery(Map<String, String> labels, long windowMillis) {

    static final String METRIC = "kafka_server_BrokerTopicMetrics_Count";
    private static final Pattern QUERY = Pattern.compile(
            "\\s*sum\\s*\\(\\s*rate\\s*\\(\\s*" + METRIC + "\\s*\\{([^}]*)}\\s*\\[([0-9a-z]+)]\\s*\\)\\s*\\)\\s*");
    private static final Pattern LABEL = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*=\\s*\"([^\"\\\\]*)\"\\s*");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    /**
     * Parses {@code query}; throws IllegalArgumentException saying what the model needs.
     *
     * @param topic the kafka trigger's topic, which the query's {@code topic} label must name (null: not checked)
     */
    public static IngestRateQuery parse(String query, String topic) {
        Matcher m = QUERY.matcher(query);
        if (!m.matches()) {
            throw new IllegalArgumentException("the model evaluates only the topic's ingest rate, "
                    + "sum(rate(" + METRIC + "{name=\"MessagesInPerSec\",topic=\"TOPIC\"}[WINDOW])), was '" + query + "'");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String body = m.group(1).trim();
        if (!body.isEmpty()) {
            for (String part : body.split(",")) {
                Matcher l = LABEL.matcher(part);
                if (!l.matches()) {
                    throw new IllegalArgumentException("label matcher '" + part.trim()
                            + "' is not of the form name=\"value\" (only equality matchers are understood)");
                }
                if (labels.put(l.group(1), l.group(2)) != null) {
                    throw new IllegalArgumentException("label " + l.group(1) + " is given twice");
                }
            }
        }
        if (!"MessagesInPerSec".equals(labels.get("name"))) {
            throw new IllegalArgumentException("the selector must have name=\"MessagesInPerSec\" (the messages-in "
                    + "counter of BrokerTopicMetrics), was " + labels.get("name"));
        }
        if (!labels.containsKey("topic")) {
            throw new IllegalArgumentException("the selector must name the topic: topic=\"...\"");
        }
        if (topic != null && !topic.equals(labels.get("topic"))) {
            throw new IllegalArgumentException("topic=\"" + labels.get("topic") + "\" is not the kafka trigger's topic "
                    + topic);
        }
        return new IngestRateQuery(labels, windowMillis(m.group(2)));
    }

    /** A Prometheus duration such as 1m, 90s or 1m30s, in milliseconds. */
    static long windowMillis(String text) {
        Matcher d = DURATION.matcher(text);
        long total = 0;
        int end = 0;
        while (d.find()) {
            if (d.start() != end) {
                break;
            }
            long n = Long.parseLong(d.group(1));
            total += switch (d.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                default -> n * 3_600_000;
            };
            end = d.end();
        }
        if (end != text.length() || total <= 0) {
            throw new IllegalArgumentException("range [" + text + "] is not a positive duration such as 1m or 90s");
        }
        return total;
    }
}
