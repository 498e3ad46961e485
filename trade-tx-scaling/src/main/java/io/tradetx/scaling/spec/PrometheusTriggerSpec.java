package io.tradetx.scaling.spec;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A prometheus trigger on the topic's ingest rate: KEDA's prometheus scaler running
 * {@code sum(rate(kafka_server_BrokerTopicMetrics_Count{name="MessagesInPerSec",topic="T"}[W]))}, with the
 * delay of the path from the broker to the HPA (Prometheus' scrape interval and the rate window).
 *
 * @param query                the PromQL text as written (the model evaluates it as the topic's ingest rate)
 * @param threshold            the target value per replica (msg/s per pod), KEDA's {@code threshold}
 * @param activationThreshold  the trigger is active when the value is strictly greater (default 0)
 * @param rateWindowMillis     the range of the query's {@code rate()}, e.g. 60000 for {@code [1m]}
 * @param otherMetadata        metadata that does not change the model (namespace, timeout, ...), in file order
 * @param authenticationRef    the TriggerAuthentication name, null when absent
 * @param authenticationKind   the authenticationRef kind, null when absent
 * @param scrapeIntervalMillis how often Prometheus scrapes the broker's counter; not a ScaledObject field but
 *                             the Prometheus configuration (infra-tf/helm.tf: 30 s for the MSK JMX exporter)
 * @param scrapeOffsetMillis   when the first scrape happens after the ScaledObject is created (the phase of
 *                             the scrapes; Prometheus spreads targets over the interval)
 */
public record PrometheusTriggerSpec(String serverAddress, String query, double threshold, double activationThreshold,
                                    long rateWindowMillis, Map<String, String> otherMetadata,
                                    String authenticationRef, String authenticationKind,
                                    long scrapeIntervalMillis, long scrapeOffsetMillis) {

    /** The scrape interval of the msk-jmx job in infra-tf/helm.tf. */
    public static final long DEFAULT_SCRAPE_INTERVAL_MILLIS = 30_000;
    /**
     * About half the interval after load changes on the minute (the mean wait for the next scrape), and off the
     * 5 s and 15 s grids of KEDA polls and HPA syncs: a query at the very moment of a scrape does not see that
     * sample, which on a common grid would empty every other [1m] result instead of a rare one.
     */
    public static final long DEFAULT_SCRAPE_OFFSET_MILLIS = 16_000;
    /** kube-prometheus-stack's Prometheus service in the monitoring namespace (infra-tf/helm.tf). */
    public static final String DEFAULT_SERVER_ADDRESS = "http://kube-prometheus-stack-prometheus.monitoring.svc:9090";

    public PrometheusTriggerSpec {
        otherMetadata = Collections.unmodifiableMap(new LinkedHashMap<>(otherMetadata));
        if (!(threshold > 0) || activationThreshold < 0 || rateWindowMillis <= 0 || scrapeIntervalMillis <= 0
                || scrapeOffsetMillis < 0) {
            throw new IllegalArgumentException("threshold must be > 0, activationThreshold >= 0 and times > 0: "
                    + threshold + ", " + activationThreshold + ", " + rateWindowMillis + ", " + scrapeIntervalMillis);
        }
    }

    /** The query the model understands for {@code topic}, with a rate window in whole seconds. */
    public static String ingestRateQuery(String topic, long windowSeconds) {
        String window = windowSeconds % 60 == 0 ? windowSeconds / 60 + "m" : windowSeconds + "s";
        return "sum(rate(kafka_server_BrokerTopicMetrics_Count{name=\"MessagesInPerSec\",topic=\"" + topic + "\"}["
                + window + "]))";
    }

    /** A trigger on {@code topic}'s ingest rate with the default server, scrape timing and no activation threshold. */
    public static PrometheusTriggerSpec ingestRate(String topic, double threshold, long windowSeconds) {
        return new PrometheusTriggerSpec(DEFAULT_SERVER_ADDRESS, ingestRateQuery(topic, windowSeconds), threshold, 0,
                windowSeconds * 1000, Map.of(), null, null, DEFAULT_SCRAPE_INTERVAL_MILLIS,
                DEFAULT_SCRAPE_OFFSET_MILLIS);
    }

    /** The same trigger with another threshold. */
    public PrometheusTriggerSpec withThreshold(double t) {
        return new PrometheusTriggerSpec(serverAddress, query, t, activationThreshold, rateWindowMillis, otherMetadata,
                authenticationRef, authenticationKind, scrapeIntervalMillis, scrapeOffsetMillis);
    }

    /** The same trigger with its thresholds (msg/s) divided by {@code k}. */
    public PrometheusTriggerSpec withRatesDivided(double k) {
        return new PrometheusTriggerSpec(serverAddress, query, threshold / k, activationThreshold / k, rateWindowMillis,
                otherMetadata, authenticationRef, authenticationKind, scrapeIntervalMillis, scrapeOffsetMillis);
    }

    /** The same trigger scraped on another schedule. */
    public PrometheusTriggerSpec withScrape(long intervalMillis, long offsetMillis) {
        return new PrometheusTriggerSpec(serverAddress, query, threshold, activationThreshold, rateWindowMillis,
                otherMetadata, authenticationRef, authenticationKind, intervalMillis, offsetMillis);
    }

    PrometheusTriggerSpec divided(double k) {
        return new PrometheusTriggerSpec(serverAddress, query, threshold, activationThreshold,
                Math.max(1, Math.round(rateWindowMillis / k)), otherMetadata, authenticationRef, authenticationKind,
                Math.max(1, Math.round(scrapeIntervalMillis / k)), Math.round(scrapeOffsetMillis / k));
    }

    /** A KEDA metadata number: {@code 90}, {@code 92.5}. */
    public static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : String.format(Locale.ROOT, "%s", v);
    }

    /** E.g. {@code rate[1m] / 90 per pod}. */
    public String describe() {
        return "ingest rate [" + rateWindowMillis / 1000.0 + " s window, " + scrapeIntervalMillis / 1000.0
                + " s scrapes] / " + number(threshold) + " msg/s per pod";
    }
}
