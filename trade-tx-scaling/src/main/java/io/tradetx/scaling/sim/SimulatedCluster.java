package io.tradetx.scaling.sim;

import io.tradetx.protocol.GroupProtocol;
import io.tradetx.scaling.ClusterView;
import io.tradetx.scaling.model.PartitionOffsets;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.nodes.NodePool;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A topic, its consumer group, the consumer Deployment and the nodes under it, advanced one second at a time;
 * the {@link ClusterView} the ScalingController drives in a simulation. A pod starts (image pull, JVM, group
 * join: the pod profile's start delay) once a node has room for it. The nodes are its own, or a pool shared with
 * other tenants' Deployments ({@link SharedNodeSimulator}), which then also caps its pods at its quota.
 */
final class SimulatedCluster implements ClusterView {

    /** A pod of the Deployment; it joins the group when ready. */
    private static final class Pod {
        final int id;
        /** When it joins the group; unknown (MAX_VALUE) until a node has room for it. */
        long readyAt;
        boolean joined;
        /** When the Deployment created it; it waits for a node from then until it is bound. */
        final long createdAt;
        double credit;
        /** The partitions assigned to it (from the last rebalance). */
        int[] owned = new int[0];

        Pod(int id, long readyAt, long createdAt) {
            this.id = id;
            this.readyAt = readyAt;
            this.createdAt = createdAt;
        }
    }

    private final int partitions;
    private final PodProfile profile;
    private final GroupProtocol protocol;
    private final long[] logEnd;
    private final long[] committed;
    private final int[] owner;
    private final long[] pausedUntil;
    private final List<ArrayDeque<long[]>> queues = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private final NodePool nodes;
    /** False when the pool is shared: its owner steps it once a second for every tenant. */
    private final boolean ownsNodes;
    /** Pods the namespace's ResourceQuota admits: the ReplicaSet cannot create more. */
    private final int podQuota;
    private final NodeWaits.Counter waits = new NodeWaits.Counter();
    private final AgeHistogram ages = new AgeHistogram();
    private int specReplicas;
    private int nextPodId;
    private long now;
    private boolean membershipChanged;
    private double arrivalCarry;
    private int roundRobin;
    /** Messages that arrived, and pods created, before this second are left out of the ages and node waits. */
    private long measuredFrom = Long.MIN_VALUE;

    SimulatedCluster(int partitions, PodProfile profile, GroupProtocol protocol, int initialReplicas,
                     NodeModel nodeModel) {
        this(partitions, profile, protocol, initialReplicas, nodeModel, null, 0, Integer.MAX_VALUE);
    }

    /**
     * A tenant's Deployment on a pool it shares: its running pods, ids {@code firstPodId} on, are in {@code shared}
     * already, and its new pods take the ids after them.
     */
    SimulatedCluster(int partitions, PodProfile profile, GroupProtocol protocol, int initialReplicas,
                     NodePool shared, int firstPodId, int podQuota) {
        this(partitions, profile, protocol, initialReplicas, null, shared, firstPodId, podQuota);
    }

    private SimulatedCluster(int partitions, PodProfile profile, GroupProtocol protocol, int initialReplicas,
                             NodeModel nodeModel, NodePool shared, int firstPodId, int podQuota) {
        if (initialReplicas > podQuota) {
            throw new IllegalArgumentException(initialReplicas + " running pods exceed the quota of " + podQuota);
        }
        this.podQuota = podQuota;
        this.ownsNodes = shared == null;
        this.nextPodId = firstPodId;
        this.partitions = partitions;
        this.profile = profile;
        this.protocol = protocol;
        this.logEnd = new long[partitions];
        this.committed = new long[partitions];
        this.owner = new int[partitions];
        this.pausedUntil = new long[partitions];
        Arrays.fill(owner, -1);
        for (int p = 0; p < partitions; p++) {
            queues.add(new ArrayDeque<>());
        }
        specReplicas = initialReplicas;
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < initialReplicas; i++) {
            // Already running before the simulation: ready and at full speed.
            pods.add(new Pod(nextPodId, Long.MIN_VALUE / 2, Long.MIN_VALUE / 2));
            running.add(nextPodId++);
        }
        nodes = shared != null ? shared : new NodePool(nodeModel, running, 0);
    }

    @Override
    public List<PartitionOffsets> offsets() {
        List<PartitionOffsets> list = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            list.add(new PartitionOffsets(p, committed[p], logEnd[p]));
        }
        return list;
    }

    @Override
    public int replicas() {
        return specReplicas;
    }

    @Override
    public int podCount() {
        return pods.size();
    }

    @Override
    public void scaleTo(int n) {
        specReplicas = n;
        while (pods.size() < Math.min(n, podQuota)) {
            nodes.add(nextPodId);
            pods.add(new Pod(nextPodId++, Long.MAX_VALUE, now));
        }
        while (pods.size() > n) {
            Pod victim = pods.get(0);
            for (Pod p : pods) {
                if (deleteBefore(p, victim)) {
                    victim = p;
                }
            }
            pods.remove(victim);
            nodes.remove(victim.id);
            membershipChanged |= victim.joined;
        }
    }

    /**
     * The ReplicaSet's order for deleting pods: unscheduled first, then not ready, then the pod with the most
     * siblings on its node (pods of its own Deployment; another tenant's pods there do not count), then the newest.
     */
    private boolean deleteBefore(Pod a, Pod b) {
        boolean aPending = !nodes.isBound(a.id);
        boolean bPending = !nodes.isBound(b.id);
        if (aPending != bPending) {
            return aPending;
        }
        if (a.joined != b.joined) {
            return !a.joined;
        }
        int colocatedA = siblingsOnNode(a);
        int colocatedB = siblingsOnNode(b);
        if (colocatedA != colocatedB) {
            return colocatedA > colocatedB;
        }
        return a.id > b.id;
    }

    /** This Deployment's pods bound to the node {@code pod} is bound to (itself included); 0 when it is not bound. */
    private int siblingsOnNode(Pod pod) {
        int node = nodes.nodeOf(pod.id);
        if (node < 0) {
            return 0;
        }
        int n = 0;
        for (Pod p : pods) {
            n += nodes.nodeOf(p.id) == node ? 1 : 0;
        }
        return n;
    }

    /** Sets the time the next scaleTo happens at; call before the controller's tick. */
    void setNow(long second) {
        now = second;
    }

    /** The nodes under the Deployment. */
    NodePool nodePool() {
        return nodes;
    }

    /** From {@code second} on: ages of messages that arrived then or later, waits of pods created then or later. */
    void measureFrom(long second) {
        measuredFrom = second;
    }

    /** How long this Deployment's pods waited for a node so far. */
    NodeWaits nodeWaits() {
        return waits.total();
    }

    /** Replicas the Deployment wants but its quota does not admit now. */
    int refusedByQuota() {
        return Math.max(0, specReplicas - pods.size());
    }

    /** Pods in the group. */
    int readyPods() {
        return (int) pods.stream().filter(p -> p.joined).count();
    }

    /** Advances second {@code t}: joins, rebalance, arrivals at {@code rate}, processing. Returns {in, processed}. */
    long[] step(long t, double rate) {
        now = t;
        if (ownsNodes) {
            nodes.step(t);
        }
        for (Pod pod : pods) {
            if (pod.readyAt == Long.MAX_VALUE && nodes.isBound(pod.id)) {
                pod.readyAt = nodes.boundAt(pod.id) + (long) Math.ceil(profile.startDelaySeconds());
                if (pod.createdAt >= measuredFrom) {
                    waits.bound(pod.id, nodes.boundAt(pod.id) - pod.createdAt);
                }
            } else if (pod.readyAt == Long.MAX_VALUE && pod.createdAt >= measuredFrom) {
                waits.pending(pod.id, t - pod.createdAt);
            }
            if (!pod.joined && pod.readyAt <= t) {
                pod.joined = true;
                membershipChanged = true;
            }
        }
        if (membershipChanged) {
            rebalance(t);
            membershipChanged = false;
        }
        long in = arrive(t, rate);
        long processed = 0;
        for (Pod pod : pods) {
            if (pod.joined) {
                processed += process(pod, t);
            }
        }
        return new long[] {in, processed};
    }

    long totalLag() {
        long lag = 0;
        for (int p = 0; p < partitions; p++) {
            lag += logEnd[p] - committed[p];
        }
        return lag;
    }

    /** The message ages, counting messages still in Kafka at {@code end} with their age then. */
    AgeHistogram agesAt(long end) {
        for (ArrayDeque<long[]> q : queues) {
            for (long[] batch : q) {
                if (batch[0] >= measuredFrom) {
                    ages.add(end - batch[0], batch[1]);
                }
            }
            q.clear();
        }
        return ages;
    }

    private void rebalance(long t) {
        List<Integer> members = pods.stream().filter(p -> p.joined).map(p -> p.id).toList();
        boolean hadMembers = Arrays.stream(owner).anyMatch(o -> o >= 0);
        int[] next = StickyAssignor.assign(owner, members);
        long resume = t + (long) Math.ceil(profile.pauseSeconds(protocol));
        for (int p = 0; p < partitions; p++) {
            boolean moved = next[p] != owner[p];
            // Eager revokes everything at each membership change; the others pause only what moves.
            if (hadMembers && (protocol.pausesEveryPartition() || moved)) {
                pausedUntil[p] = Math.max(pausedUntil[p], resume);
            }
            owner[p] = next[p];
        }
        for (Pod pod : pods) {
            int n = 0;
            for (int p = 0; p < partitions; p++) {
                n += owner[p] == pod.id ? 1 : 0;
            }
            pod.owned = new int[n];
            int i = 0;
            for (int p = 0; p < partitions; p++) {
                if (owner[p] == pod.id) {
                    pod.owned[i++] = p;
                }
            }
        }
    }

    private long arrive(long t, double rate) {
        arrivalCarry += rate;
        long n = (long) Math.floor(arrivalCarry);
        arrivalCarry -= n;
        long base = n / partitions;
        int rest = (int) (n % partitions);
        for (int i = 0; i < partitions; i++) {
            int p = (roundRobin + i) % partitions;
            long count = base + (i < rest ? 1 : 0);
            if (count > 0) {
                logEnd[p] += count;
                ArrayDeque<long[]> q = queues.get(p);
                long[] last = q.peekLast();
                if (last != null && last[0] == t) {
                    last[1] += count;
                } else {
                    q.addLast(new long[] {t, count});
                }
            }
        }
        roundRobin = (roundRobin + rest) % partitions;
        return n;
    }

    /** Processes one second of {@code pod}'s budget, shared fairly over its unpaused partitions. */
    private long process(Pod pod, long t) {
        double speed = profile.capacityMsgsPerSec();
        if (profile.rampUpSeconds() > 0) {
            speed *= Math.min(1.0, (t - pod.readyAt + 1) / profile.rampUpSeconds());
        }
        pod.credit += speed;
        long budget = (long) Math.floor(pod.credit);
        List<Integer> mine = new ArrayList<>(pod.owned.length);
        for (int p : pod.owned) {
            if (pausedUntil[p] <= t && logEnd[p] > committed[p]) {
                mine.add(p);
            }
        }
        mine.sort((a, b) -> Long.compare(logEnd[a] - committed[a], logEnd[b] - committed[b]));
        long used = 0;
        for (int i = 0; i < mine.size() && used < budget; i++) {
            int p = mine.get(i);
            long share = (long) Math.ceil((double) (budget - used) / (mine.size() - i));
            long take = Math.min(share, logEnd[p] - committed[p]);
            consume(p, take, t);
            used += take;
        }
        pod.credit -= used;
        if (used < budget) {
            pod.credit -= Math.floor(pod.credit);   // idle capacity is not saved up
        }
        return used;
    }

    private void consume(int p, long count, long t) {
        committed[p] += count;
        ArrayDeque<long[]> q = queues.get(p);
        long left = count;
        while (left > 0) {
            long[] head = q.peekFirst();
            long n = Math.min(left, head[1]);
            if (head[0] >= measuredFrom) {
                ages.add(t - head[0], n);
            }
            head[1] -= n;
            left -= n;
            if (head[1] == 0) {
                q.pollFirst();
            }
        }
    }
}
