package io.tradetx.scaling.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants of the model that the simulator, the tuner and the local runner rely on, over random load sequences,
 * ScaledObjects (with and without the rate trigger) and node models.
 */
class ModelPropertiesTest {

    /** One random case: a load, a spec, a node model, a pod start delay and the partitions. */
    record Case(LoadProfile load, ScaledObjectSpec spec, NodeModel nodes, int startDelay, int partitions) {
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<LoadProfile.Segment> segment = Combinators.combine(
                Arbitraries.of(0, 5, 50, 300, 1000, 2500), Arbitraries.integers().between(1, 90))
                .as((rate, seconds) -> new LoadProfile.Segment(rate, rate, seconds));
        Arbitrary<LoadProfile> load = segment.list().ofMinSize(1).ofMaxSize(6).map(LoadProfile::new);
        Arbitrary<HpaBehavior> behavior = Combinators.combine(Arbitraries.of(0, 15, 60), Arbitraries.of(0, 30, 120),
                Arbitraries.of(PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(900, 15)),
                        PolicyChoice.of(SelectPolicy.MIN, PolicyChoice.pods(2, 30), PolicyChoice.percent(50, 15))),
                Arbitraries.of(PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.percent(100, 15)),
                        PolicyChoice.of(SelectPolicy.MAX, PolicyChoice.pods(1, 30))))
                .as((upWindow, downWindow, up, down) -> new HpaBehavior(
                        new ScalingRules(upWindow * 1000L, up.selectPolicy(), up.policies(), null),
                        new ScalingRules(downWindow * 1000L, down.selectPolicy(), down.policies(), null)));
        Arbitrary<ScaledObjectSpec> spec = Combinators.combine(Arbitraries.of(100L, 1000L, 5000L),
                Arbitraries.of(0, 1, 3), Arbitraries.of(4, 12, 30), Arbitraries.of(5, 15, 30), Arbitraries.of(15, 60),
                behavior.injectNull(0.3), Arbitraries.of(0.0, 40.0, 90.0))
                .as((threshold, min, max, polling, cooldown, b, rate) -> {
                    ScaledObjectSpec s = Triggers.spec(threshold, min, max, polling, cooldown, b);
                    return rate == 0 ? s : s.withRate(PrometheusTriggerSpec.ingestRate("t", rate, 60)
                            .withScrape(15_000, 7_000));
                });
        Arbitrary<NodeModel> nodes = Combinators.combine(Arbitraries.of(3, 15), Arbitraries.of(0, 20),
                Arbitraries.of(0, 2, 5))
                .as((perNode, launch, headroom) -> new NodeModel(perNode, launch, 10, headroom, 2));
        return Combinators.combine(load, spec, nodes, Arbitraries.of(0, 3, 10), Arbitraries.of(4, 24))
                .as(Case::new);
    }

    @Property(tries = 150)
    void replicasStayInBoundsNodesHoldTheirPodsAndNothingIsLost(@ForAll("cases") Case c) {
        SimulationInput input = new SimulationInput(c.spec(), c.load(), c.partitions(),
                new PodProfile(100, c.startDelay(), 2, 1, 1, 1), GroupProtocol.COOPERATIVE, 0, c.nodes());
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

    @Property(tries = 60)
    void theSimulatorsSummaryAgreesWithItsTimeline(@ForAll("cases") Case c) {
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
