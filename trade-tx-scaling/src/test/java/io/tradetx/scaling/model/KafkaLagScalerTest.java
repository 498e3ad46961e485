package io.tradetx.scaling.model;

import static io.tradetx.scaling.Triggers.trigger;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.spec.OffsetResetPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaLagScalerTest {

    private static final OffsetResetPolicy LATEST = OffsetResetPolicy.LATEST;

    private static PartitionOffsets p(int id, long committed, long logEnd) {
        return new PartitionOffsets(id, committed, logEnd);
    }

    @Test
    void lagIsLogEndMinusCommittedSummedOverPartitions() {
        LagReading r = new KafkaLagScaler(trigger(100)).read(List.of(p(0, 10, 110), p(1, 0, 50), p(2, 20, 20)));
        assertEquals(150, r.metricValue());   // 100 + 50 + 0, and 150 / 100 = 1 <= 3 partitions: no cap
        assertEquals(2, r.partitionsWithLag());
        assertTrue(r.active());               // 150 > activationLagThreshold 0
    }

    @Test
    void noCommittedOffsetWithLatestCountsOne() {
        LagReading r = new KafkaLagScaler(trigger(100)).read(List.of(p(0, -1, 500), p(1, -1, 0)));
        assertEquals(2, r.metricValue());
        assertTrue(r.active());
    }

    @Test
    void noCommittedOffsetWithLatestAndScaleToZeroOnInvalidOffsetCountsZero() {
        var t = trigger(100, 0, LATEST, false, false, true, false, false, null);
        LagReading r = new KafkaLagScaler(t).read(List.of(p(0, -1, 500), p(1, -1, 0)));
        assertEquals(0, r.metricValue());
        assertFalse(r.active());
    }

    @Test
    void noCommittedOffsetWithEarliestCountsTheLogEnd() {
        var t = trigger(1000, 0, OffsetResetPolicy.EARLIEST, false, false, false, false, false, null);
        LagReading r = new KafkaLagScaler(t).read(List.of(p(0, -1, 500), p(1, 100, 300)));
        assertEquals(700, r.metricValue());   // 500 (whole log) + 200
        var zero = trigger(1000, 0, OffsetResetPolicy.EARLIEST, false, false, true, false, false, null);
        assertEquals(200, new KafkaLagScaler(zero).read(List.of(p(0, -1, 500), p(1, 100, 300))).metricValue());
    }

    @Test
    void capUsesIntegerDivisionSoTheMetricCanAskForPartitionsPlusOne() {
        KafkaLagScaler s = new KafkaLagScaler(trigger(10));
        // 25 / 10 = 2, not > 2 partitions: uncapped, and the HPA then wants ceil(25 / 10) = 3 replicas.
        assertEquals(25, s.read(List.of(p(0, 0, 13), p(1, 0, 12))).metricValue());
        // 30 / 10 = 3 > 2: capped to 2 * 10.
        assertEquals(20, s.read(List.of(p(0, 0, 15), p(1, 0, 15))).metricValue());
        assertEquals(3, HorizontalPodAutoscaler.proposal(25_000, 10_000, 1));
    }

    @Test
    void allowIdleConsumersRemovesTheCap() {
        var t = trigger(10, 0, LATEST, true, false, false, false, false, null);
        assertEquals(30, new KafkaLagScaler(t).read(List.of(p(0, 0, 15), p(1, 0, 15))).metricValue());
    }

    @Test
    void limitToPartitionsWithLagCapsAtThePartitionsThatHaveLag() {
        var t = trigger(10, 0, LATEST, false, false, false, true, false, null);
        LagReading r = new KafkaLagScaler(t).read(List.of(p(0, 0, 50), p(1, 5, 5), p(2, 0, 0), p(3, 9, 9)));
        assertEquals(10, r.metricValue());   // 50 / 10 = 5 > 1 partition with lag
        assertEquals(50, r.totalLag());
    }

    @Test
    void excludePersistentLagZeroesAnUnmovedPartitionForTheMetricButNotForActivation() {
        var t = trigger(1000, 0, LATEST, false, true, false, false, false, null);
        KafkaLagScaler s = new KafkaLagScaler(t);
        assertEquals(95, s.read(List.of(p(0, 5, 100))).metricValue());   // first call: no previous offset
        LagReading second = s.read(List.of(p(0, 5, 120)));
        assertEquals(0, second.metricValue());
        assertEquals(115, second.totalLagWithPersistent());
        assertTrue(second.active());
        assertEquals(0, second.partitionsWithLag());
        assertEquals(10, s.read(List.of(p(0, 110, 120))).metricValue()); // moved: counts again
    }

    @Test
    void ensureEvenDistributionRoundsUpToAFactorOfThePartitions() {
        var t = trigger(10, 0, LATEST, false, false, false, false, true, null);
        KafkaLagScaler s = new KafkaLagScaler(t);
        List<PartitionOffsets> six = List.of(p(0, 0, 25), p(1, 0, 0), p(2, 0, 0), p(3, 0, 0), p(4, 0, 0), p(5, 0, 0));
        assertEquals(30, s.read(six).metricValue());      // factors 1,2,3,6: 3 * 10 >= 25
        List<PartitionOffsets> idle = List.of(p(0, 0, 0), p(1, 0, 0), p(2, 0, 0), p(3, 0, 0), p(4, 0, 0), p(5, 0, 0));
        assertEquals(10, s.read(idle).metricValue());     // 1 * 10 >= 0: even no lag asks for one replica
        List<PartitionOffsets> big = List.of(p(0, 0, 100), p(1, 0, 0), p(2, 0, 0), p(3, 0, 0), p(4, 0, 0), p(5, 0, 0));
        assertEquals(60, s.read(big).metricValue());      // no factor covers 100: all 6
        // Applies even with allowIdleConsumers, the rule's "or ensureEven".
        var idleOk = trigger(10, 0, LATEST, true, false, false, false, true, null);
        assertEquals(30, new KafkaLagScaler(idleOk).read(six).metricValue());
    }

    @Test
    void activationIsStrictlyGreaterThanActivationLagThreshold() {
        var t = trigger(100, 10, LATEST, false, false, false, false, false, null);
        KafkaLagScaler s = new KafkaLagScaler(t);
        assertFalse(s.read(List.of(p(0, 0, 10))).active());
        assertTrue(s.read(List.of(p(0, 0, 11))).active());
    }

    @Test
    void partitionLimitationOnlyCountsTheListedPartitions() {
        var t = trigger(10, 0, LATEST, false, false, false, false, false, "0,2");
        LagReading r = new KafkaLagScaler(t).read(List.of(p(0, 0, 50), p(1, 0, 50), p(2, 0, 50), p(3, 0, 50)));
        assertEquals(2, r.partitions());
        assertEquals(100, r.totalLag());
        assertEquals(20, r.metricValue());   // 100 / 10 = 10 > 2 listed partitions
        var ranges = trigger(10, 0, LATEST, false, false, false, false, false, "1-3");
        assertEquals(3, new KafkaLagScaler(ranges).read(List.of(p(0, 0, 50), p(1, 0, 1), p(2, 0, 1), p(3, 0, 1)))
                .metricValue());
    }

    @Test
    void negativeTotalCountsAsZero() {
        LagReading r = new KafkaLagScaler(trigger(10)).read(List.of(p(0, 10, 5)));
        assertEquals(0, r.metricValue());
        assertFalse(r.active());
    }
}
