package io.tradetx.scaling.sim;

import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.nodes.NodeModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The best any autoscaler could do in this model, and what limits it. An ideal autoscaler knows the producer's
 * rate at every moment and, at each HPA sync, asks for the pods that handle the rate and drain the backlog within
 * 10 s (at most as many as the partitions allow); it never gives pods back while messages arrive (each
 * change of the group pauses partitions), only when nothing arrives and nothing waits; from 0 replicas it first
 * needs a KEDA poll (unless a minReplicaCount of 1 or more is allowed). Cost is not its concern. Its pods still take the node launch, the pod start and the
 * ramp-up. Each limit is then lifted in turn (polls and syncs every second, pods that start at once, warm
 * nodes, four times the partitions) to see which one the bound depends on most.
 *
 * @param p99AgeSeconds the ideal's p99 message age on the main profile
 * @param readySeconds  the ideal's seconds from the burst's spike to {@code readyPods} ready, -1 when never or no
 *                      burst
 * @param terms         the bound with each limit lifted
 */
public record LowerBound(long p99AgeSeconds, long readySeconds, int readyPods, List<Term> terms) {

    /** The bound with one limit lifted. */
    public record Term(String name, long p99AgeSeconds, long readySeconds) {
    }

    public LowerBound {
        terms = List.copyOf(terms);
    }

    /**
     * The bound for {@code input}.
     *
     * @param pollMillis  the shortest pollingInterval allowed
     * @param minAtLeastOne whether a minReplicaCount of 1 or more is allowed (the HPA then acts without a poll)
     * @param burst       the burst input (same pod, nodes and spec), or null
     */
    public static LowerBound of(SimulationInput input, long pollMillis, boolean minAtLeastOne, SimulationInput burst,
                                int readyPods) {
        Limits all = new Limits(pollMillis, input.spec().hpaSyncPeriodMillis(), minAtLeastOne);
        long[] base = run(input, burst, all, readyPods);
        List<Term> terms = new ArrayList<>();
        if (!minAtLeastOne) {
            long[] r = run(input, burst, new Limits(1000, all.syncMillis, false), readyPods);
            terms.add(new Term("detection (KEDA poll from 0 replicas)", r[0], r[1]));
        }
        long[] sync = run(input, burst, new Limits(pollMillis, 1000, minAtLeastOne), readyPods);
        terms.add(new Term("HPA sync period", sync[0], sync[1]));
        PodProfile instant = input.pod().withTimings(0, 0);
        long[] start = run(input.withPod(instant), burst == null ? null : burst.withPod(instant), all, readyPods);
        terms.add(new Term("pod start and ramp-up", start[0], start[1]));
        if (!input.nodes().warmNodes()) {
            NodeModel warm = input.nodes().withLaunchSeconds(0);
            long[] nodes = run(input.withNodes(warm), burst == null ? null : burst.withNodes(warm), all, readyPods);
            terms.add(new Term("node launch", nodes[0], nodes[1]));
        }
        int more = input.partitions() * 4;
        long[] cap = run(input.withPartitions(more), burst == null ? null : burst.withPartitions(more), all, readyPods);
        terms.add(new Term("partition cap on drain", cap[0], cap[1]));
        return new LowerBound(base[0], base[1], readyPods, terms);
    }

    /** The term whose removal lowers the p99 bound most (by readiness when {@code byReadiness}). */
    public Term dominant(boolean byReadiness) {
        Term best = null;
        for (Term t : terms) {
            if (best == null || gain(t, byReadiness) > gain(best, byReadiness)) {
                best = t;
            }
        }
        return best;
    }

    private long gain(Term t, boolean byReadiness) {
        if (byReadiness) {
            long base = readySeconds < 0 ? Long.MAX_VALUE / 2 : readySeconds;
            long lifted = t.readySeconds() < 0 ? Long.MAX_VALUE / 2 : t.readySeconds();
            return base - lifted;
        }
        return p99AgeSeconds - t.p99AgeSeconds();
    }

    /** A few lines for the tune output. */
    public String text(boolean byReadiness) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "Lower bound (an ideal autoscaler that knows the load and acts at the first chance): p99 message age "
                        + "%d s%s%n", p99AgeSeconds, readySeconds < 0 && readyPods == 0 ? ""
                        : ", " + readyPods + " pods ready " + (readySeconds < 0 ? "never" : "after " + readySeconds + " s")));
        for (Term t : terms) {
            b.append(String.format(Locale.ROOT, "  without %-38s p99 %d s%s%n", t.name() + ":", t.p99AgeSeconds(),
                    readyPods == 0 ? "" : ", ready " + (t.readySeconds() < 0 ? "never" : "after " + t.readySeconds() + " s")));
        }
        b.append("  dominated by: ").append(dominant(byReadiness).name()).append('\n');
        return b.toString();
    }

    private record Limits(long pollMillis, long syncMillis, boolean minAtLeastOne) {
    }

    private static long[] run(SimulationInput input, SimulationInput burst, Limits limits, int readyPods) {
        long p99 = Simulator.run(input, new Ideal(input, limits)).summary().p99AgeSeconds();
        long ready = -1;
        if (burst != null) {
            ready = Simulator.run(burst, new Ideal(burst, limits)).summary().secondsUntilReady(readyPods);
        }
        return new long[] {p99, ready};
    }

    /** The ideal autoscaler drains a backlog within this long. */
    private static final double DRAIN_SECONDS = 10;

    /** The ideal autoscaler. */
    private static final class Ideal implements Simulator.Autoscaler {
        private final SimulationInput input;
        private final Limits limits;
        private final int cap;

        Ideal(SimulationInput input, Limits limits) {
            this.input = input;
            this.limits = limits;
            this.cap = Math.min(input.partitions(), input.spec().maxReplicaCount());
        }

        @Override
        public List<ScalingEvent> tick(long nowMillis, SimulatedCluster cluster) {
            int replicas = cluster.replicas();
            boolean poll = nowMillis % limits.pollMillis() == 0;
            boolean sync = nowMillis % limits.syncMillis() == 0;
            double rate = input.load().rateAt((int) (nowMillis / 1000));
            double capacity = input.pod().capacityMsgsPerSec();
            long lag = cluster.totalLag();
            int want = (int) Math.min(cap, Math.ceil((rate + lag / DRAIN_SECONDS) / capacity));
            if (lag > 0 || rate > 0) {
                want = Math.max(want, Math.max(1, replicas));
            }
            int to = replicas;
            if (replicas == 0 && !limits.minAtLeastOne()) {
                if (poll && want > 0) {
                    to = 1;
                }
            } else if (sync) {
                to = limits.minAtLeastOne() ? Math.max(1, want) : want;
            }
            if (to != replicas) {
                cluster.scaleTo(to);
                return List.of(new ScalingEvent(nowMillis, ScalingEvent.Type.HPA_SCALED, replicas, to, "ideal"));
            }
            return List.of();
        }

        @Override
        public boolean active() {
            return true;
        }
    }
}
