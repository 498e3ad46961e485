package io.tradetx.scaling.sim;

import io.tradetx.protocol.GroupProtocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorTest {

    static final String SEED_DEMO = "10x60s,1000x300s,0x900s";

    static ScaledObjectSpec seedHead() {
        return ScaledObjectParser.parse(io.tradetx.scaling.Resources.read("seed-head-scaledobject.yaml"));
    }

    static ScaledObjectSpec seedHeadWithThreshold(long threshold) {
        ScaledObjectSpec s = seedHead();
        return s.withKafka(s.kafka().withLagThreshold(threshold));
    }

    @Test
    void seedDemoScalesOutAndBackToZero() {
        SimulationResult r = Simulator.run(SimulationInput.of(seedHeadWithThreshold(5000), LoadProfile.parse(SEED_DEMO)));
        SimulationSummary s = r.summary();
        assertTrue(s.peakReplicas() > 1, s::text);
        TimelineRow last = r.timeline().get(r.timeline().size() - 1);
        assertEquals(0, last.replicasDesired());
        assertEquals(0, last.lagTotal());
        assertTrue(s.podMinutes() > 0);
        assertEquals(1260, r.timeline().size());
        assertEquals(s.messagesIn(), s.messagesProcessed());
        assertEquals(60 * 10 + 300 * 1000, s.messagesIn());
        assertEquals(ScalingEvent.Type.KEDA_SCALED_TO_ZERO, r.events().get(r.events().size() - 1).type());

        String csv = TimelineCsv.format(r.timeline());
        List<String> lines = csv.lines().toList();
        assertEquals("t_seconds,rate_in,rate_processed,lag_total,replicas_desired,replicas_ready,active", lines.get(0));
        assertEquals(1260 + 1, lines.size());
    }

    @Test
    void loadProfileParsesRatesRampsAndUnits() {
        LoadProfile p = LoadProfile.parse("10x60s, 100-1000x10s,0x2m,5x1h");
        assertEquals(60 + 10 + 120 + 3600, p.totalSeconds());
        assertEquals(10, p.rateAt(59));
        assertEquals(100, p.rateAt(60));
        assertEquals(500, p.rateAt(64));      // 100 + 900 * 4 / 9
        assertEquals(1000, p.rateAt(69));
        assertEquals(0, p.rateAt(70));
        assertEquals(70, p.spikeEndSecond());
        assertThrows(IllegalArgumentException.class, () -> LoadProfile.parse("10/60s"));
    }

    @Test
    void eagerPausesEveryPartitionWhileCooperativePausesOnlyMovedOnes() {
        ScaledObjectSpec spec = seedHeadWithThreshold(5000);
        PodProfile pod = new PodProfile(100, 0, 0, 60, 60, 60);
        LoadProfile load = LoadProfile.parse("1000x600s");
        SimulationInput in = SimulationInput.of(spec, load).withPod(pod).withInitialReplicas(1);
        long eager = Simulator.run(in.withProtocol(GroupProtocol.EAGER)).summary().messagesProcessed();
        long cooperative = Simulator.run(in.withProtocol(GroupProtocol.CLASSIC)).summary().messagesProcessed();
        assertTrue(eager < cooperative, eager + " vs " + cooperative);
    }

    @Test
    void stickyAssignmentMovesOnlyWhatItMust() {
        int[] owners = StickyAssignor.assign(new int[] {-1, -1, -1, -1}, List.of(7));
        assertEquals(List.of(7, 7, 7, 7), java.util.Arrays.stream(owners).boxed().toList());
        int[] two = StickyAssignor.assign(owners, List.of(7, 8));
        assertEquals(List.of(7, 7, 8, 8), java.util.Arrays.stream(two).boxed().toList());
        int[] back = StickyAssignor.assign(two, List.of(8));
        assertEquals(List.of(8, 8, 8, 8), java.util.Arrays.stream(back).boxed().toList());
    }

    @Test
    void podProfileFileRoundTrips() {
        PodProfile p = new PodProfile(250.5, 20, 45, 30, 8, 3);
        assertEquals(p, PodProfileFile.parse(PodProfileFile.format(p)));
        assertEquals(PodProfile.DEFAULT.withCapacity(100), PodProfileFile.parse("capacity_msgs_per_sec=100\n"));
        assertEquals(100, PodProfile.fromBatch(100, 1.0).capacityMsgsPerSec());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PodProfileFile.parse("capacity=5\nramp_up_seconds=x\n"));
        assertTrue(e.getMessage().contains("line 1: unknown key capacity"), e.getMessage());
        assertTrue(e.getMessage().contains("line 2: ramp_up_seconds must be a number"), e.getMessage());
    }
}
