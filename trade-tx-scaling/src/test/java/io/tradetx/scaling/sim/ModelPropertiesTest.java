package io.tradetx.scaling.sim;

import io.tradetx.protocol.GroupProtocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tradetx.scaling.ScalingController;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.Triggers;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingRules;
import io.tradetx.scaling.spec.SelectPolicy;
import io.tradetx.scaling.tune.PolicyChoice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * Invariants of the model that the simulator, the tuner and the local runner rely on, over random load sequences,
 * ScaledObjects (with and without the rate trigger) and node models.
 */
class ModelPropertiesTest {

    /** One random case: a load, a spec, a node model, a pod start delay and the partitions. */
    record Case(LoadProfile load, ScaledObjectSpec spec, NodeModel nodes, int startDelay, int partitions) {
    }

    static Gen<Case> cases() {
        Gen<LoadProfile.Segment> segment = arbitrary().pick(0, 5, 50, 300, 1000, 2500)
                .zip(integers().between(1, 90), (rate, seconds) -> new LoadProfile.Segment(rate, rate, seconds));
        Gen<LoadProfile> load = lists().of(segment).ofSizeBetween(1, 6).map(LoadProfile::new);
        Gen<HpaBehavior> behavior = arbitrary().pick(0, 15, 60).zip(arbitrary().pick(0, 30, 120),
                arbitrary().pick(PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(900, 15)),
                        PolicyChoice.of(SelectPolicy.MIN, PolicyChoice.pods(2, 30), PolicyChoice.percent(50, 15))),
                arbitrary().pick(PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(100, 15)),
                        PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.pods(1, 30))),
                (upWindow, downWindow, up, down) -> new HpaBehavior(
                        new ScalingRules(upWindow * 1000L, up.selectPolicy(), up.policies(), null),
                        new ScalingRules(downWindow * 1000L, down.selectPolicy(), down.policies(), null)));
        // A third of the specs have no behavior (KEDA's legacy HPA rule).
        Gen<HpaBehavior> maybeBehavior = behavior.toOptionals(30).map(o -> o.orElse(null));
        record Sizes(long threshold, int min, int max, int polling, int cooldown) {
        }
        Gen<Sizes> sizes = arbitrary().pick(100L, 1000L, 5000L).zip(arbitrary().pick(0, 1, 3),
                arbitrary().pick(4, 12, 30), arbitrary().pick(5, 15, 30),
                (threshold, min, max, polling) -> new Sizes(threshold, min, max, polling, 0))
                .zip(arbitrary().pick(15, 60), (z, cooldown) -> new Sizes(z.threshold(), z.min(), z.max(),
                        z.polling(), cooldown));
        Gen<ScaledObjectSpec> spec = sizes.zip(maybeBehavior, arbitrary().pick(0.0, 40.0, 90.0), (z, b, rate) -> {
            ScaledObjectSpec s = Triggers.spec(z.threshold(), z.min(), z.max(), z.polling(), z.cooldown(), b);
            return rate == 0 ? s : s.withRate(PrometheusTriggerSpec.ingestRate("t", rate, 60)
                    .withScrape(15_000, 7_000));
        });
        Gen<NodeModel> nodes = arbitrary().pick(3, 15).zip(arbitrary().pick(0, 20), arbitrary().pick(0, 2, 5),
                (perNode, launch, headroom) -> new NodeModel(perNode, launch, 10, headroom, 2));
        return load.zip(spec, nodes, arbitrary().pick(0, 3, 10), arbitrary().pick(4, 24), Case::new);
    }

    @Test
    void replicasStayInBoundsNodesHoldTheirPodsAndNothingIsLost() {
        qt().withExamples(150).forAll(cases()).checkAssert(this::replicasStayInBoundsNodesHoldTheirPodsAndNothingIsLost);
    }

    private void replicasStayInBoundsNodesHoldTheirPodsAndNothingIsLost(Case c) {
        SimulationInput input = new SimulationInput(c.spec(), c.load(), c.partitions(),
                new PodProfile(100, c.startDelay(), 2, 1, 1, 1), GroupProtocol.CLASSIC, 0, c.nodes());
        SimulatedCluster cluster = new SimulatedCluster(c.partitions(), input.pod(), input.protocol(), 0, c.nodes());
        ScalingController controller = new ScalingController(c.spec());
        long in = 0;
        long processed = 0;
        int replicas = 0;
        int upper = c.spec().rate() == null
                ? Math.max(c.spec().minReplicaCount(), Math.min(c.spec().maxReplicaCount(), c.partitions() + 1))
                : c.spec().maxReplicaCount();
        for (int t = 0; t < c.load().totalSeconds(); t++) {
            cluster.setNow(t);
            for (ScalingEvent e : controller.tick(t * 1000L, cluster)) {
                if (e.type() == ScalingEvent.Type.ACTIVATED || e.type() == ScalingEvent.Type.DEACTIVATED) {
                    assertEquals(e.from(), e.to());
                    assertEquals(replicas, e.from(), "activation events report the replicas at the time");
                    continue;
                }
                // Scale events chain: each starts where the last one ended and changes something.
                assertEquals(replicas, e.from(), e::toString);
                assertTrue(e.to() != e.from(), e::toString);
                replicas = e.to();
            }
            assertEquals(replicas, cluster.replicas(), "the Deployment has what the last event set");
            assertTrue(replicas <= c.spec().maxReplicaCount(), "at most maxReplicaCount");
            assertTrue(replicas >= c.spec().minReplicaCount(), "at least minReplicaCount once KEDA polled");
            // The kafka scaler caps its metric at the partitions (+1 by its integer division); only another
            // trigger can take the replicas above that.
            assertTrue(replicas <= upper, replicas + " > " + upper);
            long[] flow = cluster.step(t, c.load().rateAt(t));
            in += flow[0];
            processed += flow[1];
            assertTrue(cluster.readyPods() <= cluster.podCount(), "ready pods are pods");
            assertEquals(in - processed, cluster.totalLag(), "every message is in Kafka or processed");
            cluster.nodePool().checkInvariants();
            assertTrue(cluster.nodePool().boundPods() <= cluster.podCount());
            if (c.nodes().launchSeconds() == 0 && c.nodes().headroomPods() == 0) {
                // (With placeholders a pod may wait the preemption delay for a placeholder's place.)
                assertEquals(cluster.podCount(), cluster.nodePool().boundPods(), "warm nodes leave no pod pending");
            }
        }
    }

    @Test
    void theSimulatorsSummaryAgreesWithItsTimeline() {
        qt().withExamples(60).forAll(cases()).checkAssert(this::theSimulatorsSummaryAgreesWithItsTimeline);
    }

    private void theSimulatorsSummaryAgreesWithItsTimeline(Case c) {
        SimulationResult r = Simulator.run(new SimulationInput(c.spec(), c.load(), c.partitions(),
                new PodProfile(100, c.startDelay(), 2, 1, 1, 1), GroupProtocol.EAGER, 0, c.nodes()));
        SimulationSummary s = r.summary();
        assertTrue(s.p99AgeSeconds() <= s.maxAgeSeconds());
        assertEquals(s.messagesIn(), r.timeline().stream().mapToLong(TimelineRow::rateIn).sum());
        List<Integer> replicas = new ArrayList<>(r.timeline().stream().map(TimelineRow::replicasDesired).toList());
        assertEquals(replicas.stream().mapToInt(Integer::intValue).max().orElse(0), s.peakReplicas());
        // Ready pods after the spike grow one at a time: the k-th is never earlier than the (k-1)-th.
        for (int k = 1; k < s.readySeconds().size(); k++) {
            assertTrue(s.readySeconds().get(k) >= s.readySeconds().get(k - 1));
        }
    }
}
