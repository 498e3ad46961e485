package io.tradetx.scaling.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cold nodes delay pods by the node launch; placeholders keep room warm for the first pods; node-minutes. */
class NodesInSimulationTest {

    private static final ScaledObjectSpec SPEC = SimulatorTest.seedHeadWithThreshold(1000);
    private static final SimulationInput BURST = SimulationInput.of(SPEC, LoadProfile.parse("0x30s,2000x300s"))
            .withPod(new PodProfile(100, 10, 0, 1, 1, 1));

    @Test
    void onColdNodesEveryPodWaitsForTheNodeLaunch() {
        SimulationSummary warm = Simulator.run(BURST).summary();
        SimulationSummary cold = Simulator.run(BURST.withNodes(NodeModel.WARM.withLaunchSeconds(45))).summary();
        // The first pod: created when KEDA's poll at 60 s sees the lag, joins 10 s later on a warm node.
        assertEquals(40, warm.secondsUntilReady(1));
        assertEquals(40 + 45, cold.secondsUntilReady(1));
        assertTrue(cold.p99AgeSeconds() > warm.p99AgeSeconds(), cold.text());
        assertTrue(warm.nodeMinutes() > 0 && warm.nodeMinutes() < warm.podMinutes(), warm.text());
        assertEquals(2, warm.peakNodes());   // at most 24 pods, 15 per node
    }

    @Test
    void placeholdersLetTheFirstPodsStartWithoutWaitingForANode() {
        NodeModel cold = NodeModel.WARM.withLaunchSeconds(45);
        SimulationSummary without = Simulator.run(BURST.withNodes(cold)).summary();
        // 15 placeholders fill one node: the first pod preempts one (2 s) instead of waiting 45 s for a node.
        SimulationSummary with = Simulator.run(BURST.withNodes(cold.withHeadroom(15))).summary();
        assertEquals(40 + 2, with.secondsUntilReady(1));
        assertEquals(List.of(42L, 85L), List.of(with.secondsUntilReady(6), without.secondsUntilReady(6)));   // the HPA's first step: 6
        // 5 placeholders get a whole node too (a fixed node size): its other 10 places are free warm room.
        assertEquals(40, Simulator.run(BURST.withNodes(cold.withHeadroom(5))).summary().secondsUntilReady(6));
        // The placeholders' node runs from the start: more node time for the warm room.
        assertTrue(with.nodeMinutes() > without.nodeMinutes(), with.nodeMinutes() + " vs " + without.nodeMinutes());
    }

    @Test
    void theIdealAutoscalerBoundsWhatKedaAndTheHpaAchieveAndNamesWhatLimitsIt() {
        SimulationInput in = SimulationInput.of(SPEC, LoadProfile.parse("10x60s,1000x300s,0x300s"))
                .withPod(new PodProfile(100, 30, 10, 1, 1, 1));
        LowerBound bound = LowerBound.of(in, 5_000, true, null, 0);
        assertTrue(bound.p99AgeSeconds() <= Simulator.run(in).summary().p99AgeSeconds());
        assertEquals("pod start and ramp-up", bound.dominant(false).name());
        LowerBound.Term noStart = bound.terms().stream().filter(t -> t.name().startsWith("pod start")).findFirst()
                .orElseThrow();
        assertTrue(noStart.p99AgeSeconds() < bound.p99AgeSeconds(), bound.text(false));
        // 2000 msg/s into 4 partitions of 100 msg/s pods: the partitions cap the drain, whatever the autoscaler does.
        SimulationInput capped = SimulationInput.of(SPEC, LoadProfile.parse("2000x300s,0x300s")).withPartitions(4)
                .withPod(new PodProfile(100, 5, 0, 1, 1, 1));
        assertEquals("partition cap on drain", LowerBound.of(capped, 5_000, true, null, 0).dominant(false).name());
    }

    @Test
    void delayedAndTruncatedProfilesKeepTheirRates() {
        LoadProfile p = LoadProfile.parse("10x60s,100-1000x10s,0x30s");
        assertEquals(LoadProfile.parse("10x67s,100-1000x10s,0x30s"), p.delayed(7));
        assertEquals(67, p.delayed(7).spikeStartSecond());
        LoadProfile cut = p.truncated(65);
        assertEquals(65, cut.totalSeconds());
        assertEquals(p.rateAt(64), cut.rateAt(64));
        // A ramp at the start is preceded by its first rate.
        assertEquals(LoadProfile.parse("100x5s,100-1000x10s"), LoadProfile.parse("100-1000x10s").delayed(5));
    }
}
