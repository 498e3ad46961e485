package io.tradetx.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.ScalingEvent.Type;
import io.tradetx.scaling.model.PartitionOffsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingControllerTest {

    /** A hand-driven cluster: 4 partitions with the same lag each, replicas set by the controller. */
    static final class FakeCluster implements ClusterView {
        long lagPerPartition;
        int replicas;
        int offsetReads;

        @Override
        public List<PartitionOffsets> offsets() {
            offsetReads++;
            List<PartitionOffsets> list = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                list.add(new PartitionOffsets(p, 1000, 1000 + lagPerPartition));
            }
            return list;
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

    private static List<ScalingEvent> run(ScalingController c, FakeCluster cluster, long from, long to) {
        List<ScalingEvent> events = new ArrayList<>();
        for (long t = from; t <= to; t += 1000) {
            events.addAll(c.tick(t, cluster));
        }
        return events;
    }

    @Test
    void zeroToOneByKedaOneToNByTheHpaAndBackToZeroAfterTheCooldown() {
        ScalingController c = new ScalingController(Triggers.spec(100, 0, 10, 30, 300, null));
        FakeCluster cluster = new FakeCluster();
        assertEquals(List.of(), run(c, cluster, 0, 29_000));
        assertEquals("<unknown>/100 (avg)", HpaStatusLine.targets(c.status()));

        cluster.lagPerPartition = 250;   // total 1000; 1000 / 100 = 10 > 4 partitions: metric capped at 400
        List<ScalingEvent> up = run(c, cluster, 30_000, 30_000);
        assertEquals(List.of(Type.ACTIVATED, Type.KEDA_SCALED_UP, Type.HPA_SCALED),
                up.stream().map(ScalingEvent::type).toList());
        assertEquals(1, up.get(1).to());
        assertEquals(4, up.get(2).to());   // ceil(400 / 100) = 4 = max(2 * 1, 4)
        assertEquals("400/100 (avg)", HpaStatusLine.targets(c.status()));   // 400 over the 1 pod at sync time
        assertEquals(4, c.status().currentReplicas());

        cluster.lagPerPartition = 0;
        List<ScalingEvent> down = run(c, cluster, 31_000, 400_000);
        // Legacy path: the 4 of t=30 s holds until it is older than 300 s (sync at 345 s), then min 1.
        // KEDA: last active at 30 s, so the first poll strictly after 330 s, at 360 s, scales to 0.
        assertEquals(List.of("60000 DEACTIVATED 4->4", "345000 HPA_SCALED 4->1", "360000 KEDA_SCALED_TO_ZERO 1->0"),
                down.stream().map(e -> e.atMillis() + " " + e.type() + " " + e.from() + "->" + e.to()).toList());
        assertEquals(0, cluster.replicas);
        assertEquals("<unknown>/100 (avg)", HpaStatusLine.targets(c.status()));
    }

    @Test
    void theScalerIsReadFreshForEveryPollAndEverySync() {
        FakeCluster cluster = new FakeCluster();
        cluster.replicas = 1;
        cluster.lagPerPartition = 10;   // active, so KEDA keeps the replica and the HPA keeps syncing
        ScalingController c = new ScalingController(Triggers.spec(100, 0, 10, 30, 300, null));
        run(c, cluster, 0, 60_000);
        assertEquals(3 + 5, cluster.offsetReads);   // polls at 0, 30, 60 s; syncs at 0, 15, 30, 45, 60 s
    }

    @Test
    void speedupDividesTheHpaSyncPeriodToo() {
        ScalingController c = new ScalingController(Triggers.spec(100, 0, 10, 30, 300, null).withSpeedup(10));
        c.tick(0, new FakeCluster());
        assertEquals(3_000, c.nextPollMillis());
        assertEquals(1_500, c.nextSyncMillis());
        assertTrue(c.status().hpaName().equals("keda-hpa-so"));
    }
}
