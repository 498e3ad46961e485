package io.tradetx.scaling.sim;

import io.tradetx.scaling.ScalingController;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.nodes.NodePool;
import java.util.ArrayList;
import java.util.List;

/**
 * Several tenants on one node pool, in event time: each tenant has its own topic, consumer group, Deployment and
 * ScaledObject driven by its own load, and nothing is shared but the nodes. The sharing rules:
 * <ul>
 *   <li>every second each tenant's KEDA + HPA runs first (tenants in the order given), then the pool binds the
 *       pending pods of all tenants in creation order (kube-scheduler's queue: one priority, oldest first), each
 *       to the Ready node with the most free room, and Karpenter launches nodes for whatever is still pending,
 *       whoever's it is; an empty node goes after the consolidation delay;</li>
 *   <li>a tenant's ResourceQuota caps the pods it may have: the ReplicaSet cannot create more, the HPA's wish
 *       beyond it stays unrealized; it reserves nothing for the tenant;</li>
 *   <li>a pod processes only its own tenant's partitions, and the nodes' CPU is what the pods requested: one
 *       tenant's load does not slow another's pods (a shared broker's limits are not modelled).</li>
 * </ul>
 * So a burst of one tenant reaches another only through nodes: the other's new pod waits when the burst's pods
 * took the free room and a node has to launch.
 */
public final class SharedNodeSimulator {
    /** Tenant i's pods are numbered from i times this: unique in the shared pool. */
    private static final int POD_ID_STRIDE = 10_000_000;

    private SharedNodeSimulator() {
    }

    /** Simulates every tenant for the longest of their load profiles (a shorter one's rate is 0 after its end). */
    public static SharedNodesResult run(List<TenantInput> tenants, NodeModel nodeModel) {
        return run(tenants, nodeModel, 0);
    }

    /**
     * The same, with the figures (ages of messages arriving, waits of pods created, pods and nodes counted) from
     * second {@code warmUpSeconds} on: the tenants first reach their steady pods and nodes, and the figures show
     * what happens after. The timelines cover the whole run.
     */
    public static SharedNodesResult run(List<TenantInput> tenants, NodeModel nodeModel, int warmUpSeconds) {
        if (tenants.isEmpty()) {
            throw new IllegalArgumentException("no tenant to simulate");
        }
        if (tenants.stream().map(TenantInput::name).distinct().count() != tenants.size()) {
            throw new IllegalArgumentException("tenant names must differ");
        }
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            for (int j = 0; j < tenants.get(i).input().initialReplicas(); j++) {
                running.add(i * POD_ID_STRIDE + j);
            }
        }
        NodePool pool = new NodePool(nodeModel, running, 0);
        List<Tenant> states = new ArrayList<>();
        for (int i = 0; i < tenants.size(); i++) {
            states.add(new Tenant(tenants.get(i), pool, i * POD_ID_STRIDE, nodeModel));
        }
        int seconds = tenants.stream().mapToInt(t -> t.input().load().totalSeconds()).max().orElseThrow();
        if (warmUpSeconds < 0 || warmUpSeconds >= seconds) {
            throw new IllegalArgumentException("the warm-up must be from 0 to less than the run's " + seconds + " s");
        }
        states.forEach(s -> s.cluster.measureFrom(warmUpSeconds));
        int peakNodes = 0;
        long nodeSeconds = 0;
        int launchesBefore = 0;
        for (int t = 0; t < seconds; t++) {
            if (t == warmUpSeconds) {
                launchesBefore = pool.launches();
            }
            for (Tenant s : states) {
                s.cluster.setNow(t);
                s.events.addAll(s.controller.tick(t * 1000L, s.cluster));
            }
            pool.step(t);
            for (Tenant s : states) {
                s.step(t, pool.nodes());
            }
            if (t >= warmUpSeconds) {
                peakNodes = Math.max(peakNodes, pool.nodes());
                nodeSeconds += pool.nodes();
            }
        }
        int launches = pool.launches() - launchesBefore;
        List<TenantResult> results = new ArrayList<>();
        for (Tenant s : states) {
            results.add(s.result(seconds, warmUpSeconds, launches));
        }
        return new SharedNodesResult(nodeModel, warmUpSeconds, results, nodeSeconds / 60.0, peakNodes, launches);
    }

    /** One tenant's Deployment, autoscaler and timeline during the run. */
    private static final class Tenant {
        final TenantInput tenant;
        final SimulationInput input;
        final SimulatedCluster cluster;
        final ScalingController controller;
        final List<TimelineRow> rows = new ArrayList<>();
        final List<Integer> pods = new ArrayList<>();
        final List<ScalingEvent> events = new ArrayList<>();
        int peakRefused;

        Tenant(TenantInput tenant, NodePool pool, int firstPodId, NodeModel nodeModel) {
            this.tenant = tenant;
            this.input = tenant.input().withNodes(nodeModel);
            this.cluster = new SimulatedCluster(input.partitions(), input.pod(), input.protocol(),
                    input.initialReplicas(), pool, firstPodId, tenant.podQuota());
            this.controller = new ScalingController(input.spec());
        }

        void step(int t, int nodes) {
            long[] flow = cluster.step(t, input.load().rateAt(t));
            rows.add(new TimelineRow(t, flow[0], flow[1], cluster.totalLag(), cluster.replicas(), cluster.readyPods(),
                    controller.status().active(), nodes));
            pods.add(cluster.podCount());
            peakRefused = Math.max(peakRefused, cluster.refusedByQuota());
        }

        TenantResult result(int seconds, int from, int launches) {
            SimulationSummary summary = SimulationSummary.of(rows.subList(from, seconds), pods.subList(from, seconds),
                    cluster.agesAt(seconds),
                    input.load().spikeStartSecond(), input.load().spikeEndSecond(), input.spec().kafka().lagThreshold(),
                    launches);
            return new TenantResult(tenant.name(), tenant.podQuota(), new SimulationResult(input, rows, events, summary),
                    cluster.nodeWaits(), peakRefused);
        }
    }
}
