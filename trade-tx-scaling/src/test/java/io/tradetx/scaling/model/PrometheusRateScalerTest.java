package io.tradetx.scaling.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Prometheus' rate() over scraped samples, and KEDA's prometheus scaler on top of it. */
class PrometheusRateScalerTest {

    private static final PrometheusTriggerSpec ONE_MINUTE =
            PrometheusTriggerSpec.ingestRate("t", 90, 60).withScrape(30_000, 15_000);

    @Test
    void fewerThanTwoSamplesInTheWindowIsAnEmptyResultWhichKedaReadsAsZero() {
        PrometheusRateScaler s = new PrometheusRateScaler(ONE_MINUTE);
        s.scrape(15_000, 0);
        RateReading r = s.read(20_000);
        assertEquals(0, r.value());
        assertEquals(1, r.samples());
        assertFalse(r.active());
    }

    /**
     * Samples at 15 s and 45 s in the window (-15 s, 45 s]: 30 s apart, the window's start is 30 s before the first,
     * under 1.1 x 30 s, so the rate is extrapolated over the whole minute: 30000 messages in 30 s of samples count
     * as 60000 in the minute, 1000 msg/s.
     */
    @Test
    void extrapolatesToTheWindowsEdgesLikePrometheus() {
        PrometheusRateScaler s = new PrometheusRateScaler(ONE_MINUTE);
        s.scrape(15_000, 0);
        s.scrape(45_000, 30_000);
        RateReading r = s.read(45_000);
        assertEquals(1000.0, r.value(), 1e-9);
        assertEquals(1_000_000, r.valueMilli());
        assertTrue(r.active());
        // 10 s later: range (-5 s, 55 s], 20 s before the first sample and 10 s after the last, both extrapolated.
        assertEquals(30_000 * (30 + 20 + 10) / 30.0 / 60, s.read(55_000).value(), 1e-9);
        // At 76 s the sample of 15 s has left the left-open range (16 s, 76 s]: one sample, empty result.
        assertEquals(0, s.read(76_000).value());
    }

    @Test
    void farFromASampleItExtrapolatesOnlyHalfTheAverageSpacing() {
        // Samples at 0, 10, 20 s (spacing 10 s); range (-40 s, 20 s]: start 40 s away >= 11 s, so only 5 s added.
        double r = PrometheusRateScaler.extrapolatedRate(List.of(new double[] {0, 1e12}, new double[] {10_000, 1e12 + 100},
                new double[] {20_000, 1e12 + 200}), -40_000, 20_000, 60);
        assertEquals(200 * (20 + 5 + 0) / 20.0 / 60, r, 1e-9);
    }

    @Test
    void aCounterIsNotExtrapolatedBelowZero() {
        // First sample 50 after 100 increase over 10 s: zero was 5 s before the first sample, not the 10 s to start.
        double r = PrometheusRateScaler.extrapolatedRate(List.of(new double[] {10_000, 50}, new double[] {20_000, 150}),
                0, 20_000, 20);
        assertEquals(100 * (10 + 5) / 10.0 / 20, r, 1e-9);
    }

    @Test
    void activationIsStrictlyGreaterAndTheMetricIsRoundedToMilliUnitsAsKedaFormatsIt() {
        PrometheusTriggerSpec half = new PrometheusTriggerSpec("http://p", PrometheusTriggerSpec.ingestRateQuery("t", 60),
                90, 1, 60_000, java.util.Map.of(), null, null, 30_000, 0);
        PrometheusRateScaler s = new PrometheusRateScaler(half);
        s.scrape(0, 0);
        s.scrape(30_000, 30);      // 1 msg/s over the minute, extrapolated: exactly 1.0
        assertEquals(1.0, s.read(30_000).value(), 1e-12);
        assertFalse(s.read(30_000).active());
        assertEquals(1000, PrometheusRateScaler.milli(1.0));
        assertEquals(62, PrometheusRateScaler.milli(0.0625));     // an exact tie rounds to even, as Go's %.3f
        assertEquals(1, PrometheusRateScaler.milli(0.0005000001));
        assertEquals(0, PrometheusRateScaler.milli(-3));
        assertEquals(0, PrometheusRateScaler.milli(Double.NaN));
    }
}
