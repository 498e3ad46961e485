package io.tradetx.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.ScalingEvent.Type;
import io.tradetx.scaling.model.ExternalMetric;
import io.tradetx.scaling.model.HorizontalPodAutoscaler;
import io.tradetx.scaling.model.HpaResult;
import io.tradetx.scaling.model.PartitionOffsets;
import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * KEDA with a kafka and a prometheus trigger: one HPA metric per trigger, the HPA takes the largest proposal,
 * KEDA is active when any trigger is (and scales to zero only when all are inactive for the cooldown).
 */
class MultipleTriggersTest {

    /** Lag and the topic's log-end offsets set by hand: {@code produced} messages so far, {@code lag} unconsumed. */
    static final class Topic implements ClusterView {
        long produced;
        long lag;
        int replicas;

        @Override
        public List<PartitionOffsets> offsets() {
            return List.of(new PartitionOffsets(0, produced - lag, produced));
        }

        @Override
        public int replicas() {
            return replicas;
        }

        @Override
        public void scaleTo(int n) {
            replicas = n;
        }
    }

    /**
     * Lag threshold 100 (no partition cap), min 0, max 20, polling 5 s, cooldown 30 s; rate over [20s] with target
     * 10 msg/s, scraped at 3, 13, 23 s, ...
     */
    private static ScaledObjectSpec spec(long activationLag) {
        ScaledObjectSpec base = Triggers.spec(100, 0, 20, 5, 30, null);
        base = base.withKafka(Triggers.trigger(100, activationLag, io.tradetx.scaling.spec.OffsetResetPolicy.LATEST,
                true, false, false, false, false, null));
        return base.withRate(PrometheusTriggerSpec.ingestRate("t", 10, 20).withScrape(10_000, 3_000));
    }

    @Test
    void theHpaTakesTheLargestProposalEachWithItsOwnTolerance() {
        HorizontalPodAutoscaler hpa = new HorizontalPodAutoscaler(1, 20, 100, null, 300_000);
        // Lag 1000 over 10 pods is exactly on target (proposal 10); the rate 150 over target 10 proposes 15.
        HpaResult r = hpa.sync(0, 10, 10, List.of(new ExternalMetric("lag", 1_000_000, 100_000),
                new ExternalMetric("rate", 150_000, 10_000)));
        assertEquals(15, r.proposal());
        assertEquals(15, r.desired());
        assertEquals("lag proposes 10, rate proposes 15", r.reason());
        assertEquals(List.of(100_000L, 15_000L), r.metrics().stream().map(HpaResult.MetricProposal::averageMilli).toList());
        // The rate 105 is within 10 % of 10 pods x 10: that metric proposes the current 10, the lag 2000 proposes 20.
        HpaResult up = new HorizontalPodAutoscaler(1, 20, 100, null, 300_000).sync(0, 10, 10, List.of(
                new ExternalMetric("lag", 2_000_000, 100_000), new ExternalMetric("rate", 105_000, 10_000)));
        assertEquals(List.of(20, 10), up.metrics().stream().map(HpaResult.MetricProposal::proposal).toList());
        assertEquals(20, up.desired());
    }

    @Test
    void theRateTriggerAloneActivatesKedaAndKeepsItActiveWhileTheLagIsZero() {
        ScalingController c = new ScalingController(spec(1_000_000));   // lag can never activate
        Topic topic = new Topic();
        List<ScalingEvent> events = new ArrayList<>();
        // 50 msg/s from t = 0, consumed at once (lag 0 throughout).
        for (long t = 0; t <= 60_000; t += 1000) {
            topic.produced = t / 1000 * 50;
            events.addAll(c.tick(t, topic));
        }
        // The polls at 5 and 10 s see one sample (3 s): an empty result, 0. The poll at 15 s sees 3 s and 13 s:
        // 500 messages in 10 s, extrapolated 8 s back to the range's start and 2 s on to its end: 50 msg/s.
        assertEquals("15000 ACTIVATED 0->0", line(events.get(0)));
        assertEquals("15000 KEDA_SCALED_UP 0->1", line(events.get(1)));
        // Then the HPA: 50 msg/s / 10 per pod = 5 (1 -> 4 by the legacy limit max(2 x 1, 4), then 5).
        assertTrue(events.stream().anyMatch(e -> e.type() == Type.HPA_SCALED && e.to() == 5), events::toString);
        assertEquals(5, topic.replicas);
        assertEquals("0/100 (avg), 10/10 (avg)", HpaStatusLine.targets(c.status()));
        assertEquals(50.0, c.status().ingestRate(), 1e-9);

        // The producer stops: once no increase is in the window the rate is 0, every trigger inactive, and after the
        // 30 s cooldown KEDA scales to zero.
        List<ScalingEvent> down = new ArrayList<>();
        for (long t = 61_000; t <= 200_000; t += 1000) {
            down.addAll(c.tick(t, topic));
        }
        ScalingEvent off = down.stream().filter(e -> e.type() == Type.DEACTIVATED).findFirst().orElseThrow();
        ScalingEvent zero = down.stream().filter(e -> e.type() == Type.KEDA_SCALED_TO_ZERO).findFirst().orElseThrow();
        assertTrue(off.reason().contains("ingest rate 0.0 msg/s"), off.reason());
        // Last active at the poll of 70 s (samples 53 and 63 s differ), inactive at 75 s (63 and 73 s are equal);
        // the first poll strictly after 70 + 30 s scales to zero.
        assertEquals(75_000, off.atMillis());
        assertEquals(105_000, zero.atMillis(), down::toString);
    }

    @Test
    void aQueryDoesNotSeeTheSampleScrapedAtTheSameMoment() {
        ScaledObjectSpec s = Triggers.spec(100, 1, 20, 5, 30, null)
                .withRate(PrometheusTriggerSpec.ingestRate("t", 10, 20).withScrape(10_000, 0));
        ScalingController c = new ScalingController(s);
        Topic topic = new Topic();
        topic.replicas = 1;
        for (long t = 0; t <= 20_000; t += 1000) {
            topic.produced = t / 1000 * 50;
            c.tick(t, topic);
        }
        // The sync at 15 s saw the samples of 0 and 10 s; the sync at 20 s: range (0 s, 20 s] holds 10 s only,
        // since 20 s is scraped after the query: an empty result, 0.
        assertEquals(0, c.status().ingestRate());
    }

    @Test
    void anActiveLagTriggerKeepsTheReplicasWhileTheRateIsZero() {
        ScalingController c = new ScalingController(spec(0));
        Topic topic = new Topic();
        topic.produced = 500;
        topic.lag = 500;   // a backlog, nothing arriving
        List<ScalingEvent> events = new ArrayList<>();
        for (long t = 0; t <= 120_000; t += 1000) {
            events.addAll(c.tick(t, topic));
        }
        assertEquals(List.of("0 ACTIVATED 0->0", "0 KEDA_SCALED_UP 0->1", "0 HPA_SCALED 1->4", "15000 HPA_SCALED 4->5"),
                events.stream().map(MultipleTriggersTest::line).toList());
        assertEquals("100/100 (avg), 0/10 (avg)", HpaStatusLine.targets(c.status()));
    }

    private static String line(ScalingEvent e) {
        return e.atMillis() + " " + e.type() + " " + e.from() + "->" + e.to();
    }
}
