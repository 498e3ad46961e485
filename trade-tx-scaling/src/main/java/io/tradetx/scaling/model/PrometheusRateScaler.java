package io.tradetx.scaling.model;

import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * KEDA's prometheus scaler on the topic's ingest rate, with the Prometheus server in front of it: the broker's
 * messages-in counter is sampled at each scrape ({@link #scrape}), and each scaler call ({@link #read}) evaluates
 * {@code rate(counter[window])} at that moment as Prometheus does (promql/functions.go extrapolatedRate), over
 * the samples in the left-open range (now - window, now]. The value goes to the HPA as an External
 * AverageValue metric with the trigger's threshold as target; the trigger is active when the value is strictly
 * greater than activationThreshold.
 */
public final class PrometheusRateScaler {

    /**
     * Added to the sampled log-end offsets: the broker's counter counts since the broker started, so it is far
     * above one window's increase and Prometheus' zero-point rule (no extrapolation below a counter of 0) does not
     * shorten the extrapolation, as it would for a counter that starts at 0 with the simulation.
     */
    public static final double LONG_RUNNING_COUNTER = 1e12;

    private final PrometheusTriggerSpec trigger;
    /** Samples {time millis, counter value}, oldest first. */
    private final ArrayDeque<double[]> samples = new ArrayDeque<>();

    public PrometheusRateScaler(PrometheusTriggerSpec trigger) {
        this.trigger = trigger;
    }

    /** A scrape at {@code nowMillis} of the topic's messages-in counter (the sum of its log-end offsets). */
    public void scrape(long nowMillis, long logEndOffsetSum) {
        samples.addLast(new double[] {nowMillis, LONG_RUNNING_COUNTER + logEndOffsetSum});
        // Keep what a query can still see.
        while (samples.size() > 2 && samples.peekFirst()[0] <= nowMillis - trigger.rateWindowMillis()
                - trigger.scrapeIntervalMillis()) {
            samples.pollFirst();
        }
    }

    /** One scaler call at {@code nowMillis}. */
    public RateReading read(long nowMillis) {
        List<double[]> inRange = new ArrayList<>();
        long rangeStart = nowMillis - trigger.rateWindowMillis();
        for (Iterator<double[]> it = samples.iterator(); it.hasNext(); ) {
            double[] s = it.next();
            if (s[0] > rangeStart && s[0] <= nowMillis) {
                inRange.add(s);
            }
        }
        double rate = extrapolatedRate(inRange, rangeStart, nowMillis, trigger.rateWindowMillis() / 1000.0);
        // An empty result (fewer than two samples) is 0 with ignoreNullValues (the default, the only one allowed).
        double value = Double.isNaN(rate) ? 0 : rate;
        return new RateReading(value, milli(value), value > trigger.activationThreshold(), inRange.size());
    }

    /**
     * Prometheus' rate() of a counter over the samples in (rangeStart, rangeEnd], NaN when there are fewer than two.
     * Counter resets are not handled: a sum of log-end offsets never decreases.
     */
    static double extrapolatedRate(List<double[]> s, long rangeStart, long rangeEnd, double rangeSeconds) {
        if (s.size() < 2) {
            return Double.NaN;
        }
        double[] first = s.get(0);
        double[] last = s.get(s.size() - 1);
        double result = last[1] - first[1];
        double durationToStart = (first[0] - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - last[0]) / 1000.0;
        double sampledInterval = (last[0] - first[0]) / 1000.0;
        double averageBetween = sampledInterval / (s.size() - 1);
        double threshold = averageBetween * 1.1;
        if (durationToStart >= threshold) {
            durationToStart = averageBetween / 2;
        }
        if (result > 0 && first[1] >= 0) {
            double durationToZero = sampledInterval * (first[1] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (durationToEnd >= threshold) {
            durationToEnd = averageBetween / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval / rangeSeconds;
        return result * factor;
    }

    /** The metric as KEDA hands it to the HPA: fmt "%.3f" of the value, as milli-units (negative and NaN are 0). */
    public static long milli(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
            return 0;
        }
        return new BigDecimal(value).setScale(3, RoundingMode.HALF_EVEN).movePointRight(3).longValueExact();
    }

    public PrometheusTriggerSpec trigger() {
        return trigger;
    }
}
