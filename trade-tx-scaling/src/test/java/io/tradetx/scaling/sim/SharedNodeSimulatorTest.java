package io.tradetx.scaling.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tradetx.scaling.Triggers;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.spec.HpaBehavior;
import io.tradetx.scaling.spec.PrometheusTriggerSpec;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.scaling.spec.ScalingRules;
import io.tradetx.scaling.spec.SelectPolicy;
import io.tradetx.scaling.tune.PolicyChoice;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The sharing rules of tenants on one node pool: nothing but nodes couples them, so on warm nodes a tenant's run is
 * exactly its run alone; on cold nodes a burst of A takes the free room and B's scale-out waits for a node launch;
 * a quota on A leaves the room to B; placeholders cover B with a preemption instead of a launch.
 */
class SharedNodeSimulatorTest {

    /** The shape of the shipped ScaledObject: lag 2000 and the ingest rate at 90 msg/s per pod, x10 up, 60 s down. */
    static final ScaledObjectSpec SPEC = Triggers.spec(2000, 0, 24, 30, 15, new HpaBehavior(
            new ScalingRules(0, SelectPolicy.MAX, List.of(PolicyChoice.percent(900, 10)), null),
            new ScalingRules(60_000, SelectPolicy.MAX, List.of(PolicyChoice.percent(100, 15)), null)))
            .withRate(PrometheusTriggerSpec.ingestRate("t", 90, 60));
    static final PodProfile POD = new PodProfile(100, 7, 0.5, 1.4, 1.8, 6.5);
    /** Five minutes for both tenants to reach their steady pod and node (figures count from then on). */
    static final int WARM_UP = 300;
    static final String A_BURST = "10x300s,1000x300s,10x600s";
    static final String A_STEADY = "10x1200s";
    /** B rises 30 s after A's burst started: its new pods need room while A's burst holds it. */
    static final String B_RISE = "50x330s,400x300s,50x570s";
    static final NodeModel COLD = NodeModel.WARM.withLaunchSeconds(45);

    static TenantInput tenant(String name, String profile, int quota) {
        return new TenantInput(name, SimulationInput.of(SPEC, LoadProfile.parse(profile)).withPod(POD), quota);
    }

    static SharedNodesResult run(NodeModel nodes, String aProfile, int aQuota) {
        return SharedNodeSimulator.run(List.of(tenant("a", aProfile, aQuota), tenant("b", B_RISE, TenantInput.NO_QUOTA)),
                nodes, WARM_UP);
    }

    @Test
    void oneTenantOnItsOwnPoolIsTheSingleTenantSimulation() {
        for (NodeModel nodes : List.of(NodeModel.WARM, COLD, COLD.withHeadroom(5))) {
            SimulationInput in = tenant("a", A_BURST, TenantInput.NO_QUOTA).input().withNodes(nodes);
            SimulationResult alone = Simulator.run(in);
            SharedNodesResult shared = SharedNodeSimulator.run(List.of(new TenantInput("a", in)), nodes);
            assertEquals(alone.summary(), shared.tenant("a").summary(), nodes.describe());
            assertEquals(alone.timeline(), shared.tenant("a").result().timeline());
            assertEquals(alone.events(), shared.tenant("a").result().events());
            assertEquals(alone.summary().nodeMinutes(), shared.nodeMinutes(), 1e-9);
        }
    }

    @Test
    void onWarmNodesABurstOfADoesNotChangeB() {
        SharedNodesResult burst = run(NodeModel.WARM, A_BURST, TenantInput.NO_QUOTA);
        SharedNodesResult steady = run(NodeModel.WARM, A_STEADY, TenantInput.NO_QUOTA);
        assertTrue(burst.tenant("a").summary().peakReplicas() >= 12, burst::text);
        assertEquals(scaling(steady.tenant("b")), scaling(burst.tenant("b")));
        SimulationSummary alone = steady.tenant("b").summary();
        SimulationSummary shared = burst.tenant("b").summary();
        assertEquals(List.of(alone.p99AgeSeconds(), alone.maxAgeSeconds(), alone.podMinutes()),
                List.of(shared.p99AgeSeconds(), shared.maxAgeSeconds(), shared.podMinutes()));
        assertEquals(NodeWaits.NONE, burst.tenant("b").waits());
        assertTrue(burst.nodeMinutes() > steady.nodeMinutes(), "A's burst costs node time: " + burst.text());
    }

    /**
     * A tenant's scaling second by second: arrivals, replicas, ready pods, activity. Not the processed messages: where
     * the scheduler put a tenant's pods depends on the other tenant's, and the ReplicaSet deletes the pod with the most
     * siblings on its node first, so which partitions move at a scale-in (and pause for a moment) may differ.
     */
    /** The rows up to and including the first second whose desired replicas are below the second before. */
    static int firstScaleIn(List<List<Long>> rows) {
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).get(1) < rows.get(i - 1).get(1)) {
                return i + 1;
            }
        }
        return rows.size();
    }

    static List<List<Long>> scaling(TenantResult t) {
        return t.result().timeline().stream().map(r -> List.of(r.rateIn(), (long) r.replicasDesired(),
                (long) r.replicasReady(), r.active() ? 1L : 0L)).toList();
    }

    @Test
    void onColdNodesBsScaleOutWaitsForANodeBecauseAsBurstTookTheFreeRoom() {
        SharedNodesResult burst = run(COLD, A_BURST, TenantInput.NO_QUOTA);
        SharedNodesResult steady = run(COLD, A_STEADY, TenantInput.NO_QUOTA);
        TenantResult b = burst.tenant("b");
        assertEquals(NodeWaits.NONE, steady.tenant("b").waits(), "B's rise fits the node A leaves free: " + steady.text());
        assertTrue(b.waits().podsWaited() > 0, burst.text());
        assertTrue(b.waits().longestWaitSeconds() >= 40 && b.waits().longestWaitSeconds() <= 46,
                "a node launch: " + burst.text());
        assertTrue(b.summary().p99AgeSeconds() > steady.tenant("b").summary().p99AgeSeconds(),
                burst.text() + steady.text());
        assertTrue(burst.nodeLaunches() > 0);
    }

    @Test
    void aQuotaOnACapsItsPodsAndLeavesTheRoomToB() {
        SharedNodesResult capped = run(COLD, A_BURST, 8);
        TenantResult a = capped.tenant("a");
        assertTrue(a.result().timeline().stream().allMatch(r -> r.replicasReady() <= 8), capped::text);
        assertTrue(a.peakRefusedByQuota() > 0, "the HPA wanted more than the quota admits: " + capped.text());
        assertEquals(NodeWaits.NONE, capped.tenant("b").waits(), capped.text());
        SharedNodesResult free = run(COLD, A_BURST, TenantInput.NO_QUOTA);
        assertTrue(a.summary().p99AgeSeconds() > free.tenant("a").summary().p99AgeSeconds(),
                "the cap's price is A's own backlog: " + capped.text() + free.text());
    }

    @Test
    void placeholdersGiveBAPreemptionInsteadOfANodeLaunch() {
        SharedNodesResult withHeadroom = run(COLD.withHeadroom(15), A_BURST, TenantInput.NO_QUOTA);
        NodeWaits b = withHeadroom.tenant("b").waits();
        assertTrue(b.longestWaitSeconds() <= (long) Math.ceil(NodeModel.DEFAULT_PREEMPTION_SECONDS), withHeadroom.text());
    }

    @Test
    void tenantsNeedDistinctNamesAndAQuotaThatAdmitsTheirRunningPods() {
        assertThrows(IllegalArgumentException.class, () -> SharedNodeSimulator.run(
                List.of(tenant("a", A_STEADY, 2), tenant("a", B_RISE, 2)), NodeModel.WARM));
        assertThrows(IllegalArgumentException.class, () -> new TenantInput("a",
                SimulationInput.of(SPEC, LoadProfile.parse(A_STEADY)).withInitialReplicas(3), 2));
        assertThrows(IllegalArgumentException.class, () -> SharedNodeSimulator.run(List.of(), NodeModel.WARM));
        assertThrows(IllegalArgumentException.class, () -> SharedNodeSimulator.run(
                List.of(tenant("a", A_STEADY, 2)), NodeModel.WARM, 1200));
    }

    /** Two random tenants. */
    record Pair(LoadProfile a, LoadProfile b, int quota, NodeModel nodes) {
    }

    static Gen<Pair> pairs() {
        Gen<LoadProfile.Segment> segment = arbitrary().pick(0, 10, 50, 400, 1000, 2000)
                .zip(integers().between(10, 120), (rate, seconds) -> new LoadProfile.Segment(rate, rate, seconds));
        Gen<LoadProfile> load = lists().of(segment).ofSizeBetween(1, 5).map(LoadProfile::new);
        Gen<NodeModel> nodes = arbitrary().pick(3, 15).zip(arbitrary().pick(0, 30), arbitrary().pick(0, 4),
                (perNode, launch, headroom) -> new NodeModel(perNode, launch, 10, headroom, 2));
        return load.zip(load, arbitrary().pick(2, 6, TenantInput.NO_QUOTA), nodes, Pair::new);
    }

    @Test
    void quotasHoldNothingIsLostAndWarmNodesIsolateCompletely() {
        qt().withExamples(60).forAll(pairs()).checkAssert(this::quotasHoldNothingIsLostAndWarmNodesIsolateCompletely);
    }

    private void quotasHoldNothingIsLostAndWarmNodesIsolateCompletely(Pair p) {
        TenantInput a = new TenantInput("a", SimulationInput.of(SPEC, p.a()).withPod(POD), p.quota());
        TenantInput b = new TenantInput("b", SimulationInput.of(SPEC, p.b()).withPod(POD));
        SharedNodesResult r = SharedNodeSimulator.run(List.of(a, b), p.nodes());
        int seconds = Math.max(p.a().totalSeconds(), p.b().totalSeconds());
        for (TenantResult t : r.tenants()) {
            assertEquals(seconds, t.result().timeline().size());
            SimulationSummary s = t.summary();
            long in = t.result().timeline().stream().mapToLong(TimelineRow::rateIn).sum();
            assertEquals(in, s.messagesIn());
            TimelineRow last = t.result().timeline().get(seconds - 1);
            assertEquals(s.messagesIn() - s.messagesProcessed(), last.lagTotal(), "in Kafka or processed");
            assertTrue(t.result().timeline().stream().allMatch(row -> row.replicasReady() <= t.podQuota()));
            assertTrue(t.waits().podSecondsWaiting() >= t.waits().longestWaitSeconds() - 1);
        }
        if (p.nodes().launchSeconds() == 0 && p.nodes().headroomPods() == 0) {
            // Warm nodes: each tenant runs exactly as it would alone until its first scale-in. From then on the
            // other tenant's pods can still matter, as in Kubernetes: they decide which node each of its pods
            // landed on, so the ReplicaSet (which deletes from the node with most of its own pods first) may pick
            // another victim, whose partitions move instead.
            for (TenantInput t : List.of(a, b)) {
                SharedNodesResult alone = SharedNodeSimulator.run(List.of(t), p.nodes());
                List<List<Long>> own = scaling(alone.tenant(t.name()));
                int upToFirstScaleIn = firstScaleIn(own);
                assertEquals(own.subList(0, upToFirstScaleIn),
                        scaling(r.tenant(t.name())).subList(0, upToFirstScaleIn));
                assertEquals(NodeWaits.NONE, r.tenant(t.name()).waits());
            }
        }
    }
}
