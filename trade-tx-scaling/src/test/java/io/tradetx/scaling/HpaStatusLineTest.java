package io.tradetx.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HpaStatusLineTest {

    private static ScalingStatus status(long averageMilli, int replicas) {
        return new ScalingStatus("keda-hpa-trade-tx-consumer-scaler", "Deployment/trade-tx-consumer", 1, 100,
                replicas, replicas, averageMilli * replicas / 1000, averageMilli, 5000, true, 0, 0);
    }

    @Test
    void formatsLikeKubectlGetHpa() {
        String expected = """
                NAME                                REFERENCE                      TARGETS             MINPODS   MAXPODS   REPLICAS   AGE
                keda-hpa-trade-tx-consumer-scaler   Deployment/trade-tx-consumer   3580813m/5k (avg)   1         100       16         37m
                """;
        assertEquals(expected, HpaStatusLine.format(status(3_580_813, 16), 37 * 60_000L));
        assertEquals("14/5k (avg)", HpaStatusLine.targets(status(14_000, 1)));
        assertEquals("<unknown>/5k (avg)", HpaStatusLine.targets(status(-1, 0)));
    }

    @Test
    void liveRowsAlignWithTheLiveHeader() {
        ScalingStatus s = status(14_000, 1);
        assertEquals(HpaStatusLine.liveHeader(s).indexOf("MINPODS"), HpaStatusLine.liveRow(s, 0).indexOf("1   "));
    }

    @Test
    void quantitiesUseKubernetesCanonicalForm() {
        assertEquals("5k", Quantities.format(5000));
        assertEquals("10k", Quantities.format(10_000));
        assertEquals("100", Quantities.format(100));
        assertEquals("1500", Quantities.format(1500));
        assertEquals("2M", Quantities.format(2_000_000));
        assertEquals("3580813m", Quantities.formatMilli(3_580_813));
        assertEquals("500m", Quantities.formatMilli(500));
        assertEquals("0", Quantities.formatMilli(0));
    }

    @Test
    void ageFollowsHumanDuration() {
        assertEquals("0s", HumanDuration.format(-1500));
        assertEquals("<invalid>", HumanDuration.format(-2000));
        assertEquals("119s", HumanDuration.format(119_000));
        assertEquals("2m", HumanDuration.format(120_000));
        assertEquals("5m10s", HumanDuration.format(310_000));
        assertEquals("32m", HumanDuration.format(32 * 60_000L));
        assertEquals("179m", HumanDuration.format(179 * 60_000L));
        assertEquals("3h20m", HumanDuration.format(200 * 60_000L));
        assertEquals("8h", HumanDuration.format(8 * 3_600_000L + 59 * 60_000L));
        assertEquals("2d", HumanDuration.format(48 * 3_600_000L));
        assertEquals("2d3h", HumanDuration.format(51 * 3_600_000L));
        assertEquals("30d", HumanDuration.format(30 * 24 * 3_600_000L));
    }
}
