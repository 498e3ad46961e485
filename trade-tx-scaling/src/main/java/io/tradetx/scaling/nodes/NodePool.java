package io.tradetx.scaling.nodes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes under the consumer Deployment, advanced one second at a time: kube-scheduler binds pending pods to
 * the Ready node with the most free room (LeastAllocated), preempting a low-priority placeholder when no node has
 * room; Karpenter launches enough nodes for the pods still pending (counting the room of nodes already on the
 * way), and removes a node that stayed empty for the consolidation delay. Moving pods off under-used nodes
 * (consolidation of non-empty nodes) is not modelled, so node time is an upper estimate when pods scale in.
 */
public final class NodePool {

    private static final class Node {
        final int id;
        final long readyAt;
        boolean ready;
        int consumers;
        int placeholders;
        int reserved;
        long emptySince = -1;

        Node(int id, long readyAt) {
            this.id = id;
            this.readyAt = readyAt;
        }

        int free(int capacity) {
            return capacity - consumers - placeholders - reserved;
        }
    }

    /** Where a consumer pod is: pending (node null), reserved on a node until bindAt, or bound since bindAt. */
    private static final class Slot {
        Node node;
        long bindAt;
        boolean bound;
    }

    private final NodeModel model;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<Integer, Slot> pods = new LinkedHashMap<>();
    private int pendingPlaceholders;
    private int nextNodeId;
    private long nodeSeconds;
    private int launches;

    /**
     * A pool at {@code t} with {@code runningPods} consumer pods (ids given) and the placeholders already bound,
     * on as many Ready nodes as they need (the state before a simulation starts).
     */
    public NodePool(NodeModel model, List<Integer> runningPods, long t) {
        this.model = model;
        int total = runningPods.size() + model.headroomPods();
        int needed = (total + model.podsPerNode() - 1) / model.podsPerNode();
        for (int i = 0; i < needed; i++) {
            Node n = new Node(nextNodeId++, t);
            n.ready = true;
            nodes.add(n);
        }
        for (int id : runningPods) {
            Slot s = new Slot();
            s.node = mostFree();
            s.node.consumers++;
            s.bound = true;
            s.bindAt = Long.MIN_VALUE / 2;
            pods.put(id, s);
        }
        pendingPlaceholders = model.headroomPods();
        placePlaceholders();
    }

    /** A new consumer pod (pending until {@link #step} binds it). */
    public void add(int podId) {
        if (pods.putIfAbsent(podId, new Slot()) != null) {
            throw new IllegalArgumentException("pod " + podId + " exists");
        }
    }

    /** A consumer pod deleted: its room (or reservation) is free at once. */
    public void remove(int podId) {
        Slot s = pods.remove(podId);
        if (s == null) {
            throw new IllegalArgumentException("no pod " + podId);
        }
        if (s.node != null) {
            if (s.bound) {
                s.node.consumers--;
            } else {
                s.node.reserved--;
            }
        }
    }

    /** Whether the pod is bound to a node (not pending, not waiting for a preempted placeholder to go). */
    public boolean isBound(int podId) {
        Slot s = pods.get(podId);
        return s != null && s.bound;
    }

    /** When the pod was bound to a node (only meaningful when {@link #isBound}). */
    public long boundAt(int podId) {
        return pods.get(podId).bindAt;
    }

    /** The id of the node the pod is bound to, or -1 when it is not bound. */
    public int nodeOf(int podId) {
        Slot s = pods.get(podId);
        return s == null || !s.bound ? -1 : s.node.id;
    }

    /** Consumer pods bound to the same node as {@code podId} (the ReplicaSet deletes from the fullest first). */
    public int colocated(int podId) {
        Slot s = pods.get(podId);
        return s == null || !s.bound ? 0 : s.node.consumers;
    }

    /** Advances second {@code t}: Ready nodes, binding and preemption, launches, consolidation. */
    public void step(long t) {
        for (int round = 0; round < 2; round++) {
            for (Node n : nodes) {
                n.ready |= n.readyAt <= t;
            }
            schedule(t);
            if (!provision(t)) {
                break;
            }
        }
        consolidate(t);
        nodeSeconds += nodes.size();
    }

    private void schedule(long t) {
        for (Slot s : pods.values()) {
            if (s.node != null && !s.bound && s.bindAt <= t) {
                s.node.reserved--;
                s.node.consumers++;
                s.bound = true;
            }
        }
        for (Slot s : pods.values()) {
            if (s.node != null) {
                continue;
            }
            Node n = mostFree();
            if (n != null) {
                n.consumers++;
                s.node = n;
                s.bound = true;
                s.bindAt = t;
                continue;
            }
            Node victim = withPlaceholder();
            if (victim != null) {
                // The scheduler preempts a lower-priority placeholder and nominates the pod to its node.
                victim.placeholders--;
                pendingPlaceholders++;
                victim.reserved++;
                s.node = victim;
                s.bindAt = t + (long) Math.ceil(model.preemptionSeconds());
                if (s.bindAt <= t) {
                    victim.reserved--;
                    victim.consumers++;
                    s.bound = true;
                }
            }
        }
        placePlaceholders();
    }

    private void placePlaceholders() {
        while (pendingPlaceholders > 0) {
            Node n = mostFree();
            if (n == null) {
                return;
            }
            n.placeholders++;
            pendingPlaceholders--;
        }
    }

    /** Launches nodes for pods no Ready or launching node has room for; true when it launched any. */
    private boolean provision(long t) {
        int pending = pendingPlaceholders;
        for (Slot s : pods.values()) {
            if (s.node == null) {
                pending++;
            }
        }
        int onTheWay = 0;
        for (Node n : nodes) {
            if (!n.ready) {
                onTheWay += n.free(model.podsPerNode());
            }
        }
        int missing = pending - onTheWay;
        if (missing <= 0) {
            return false;
        }
        int count = (missing + model.podsPerNode() - 1) / model.podsPerNode();
        for (int i = 0; i < count; i++) {
            nodes.add(new Node(nextNodeId++, t + (long) Math.ceil(model.launchSeconds())));
            launches++;
        }
        return true;
    }

    private void consolidate(long t) {
        nodes.removeIf(n -> {
            if (!n.ready || n.consumers + n.placeholders + n.reserved > 0) {
                n.emptySince = -1;
                return false;
            }
            if (n.emptySince < 0) {
                n.emptySince = t;
            }
            return t - n.emptySince >= model.consolidateAfterSeconds();
        });
    }

    /** The Ready node with the most free room (the oldest on a tie), or null when none has room. */
    private Node mostFree() {
        Node best = null;
        for (Node n : nodes) {
            if (n.ready && n.free(model.podsPerNode()) > 0
                    && (best == null || n.free(model.podsPerNode()) > best.free(model.podsPerNode()))) {
                best = n;
            }
        }
        return best;
    }

    private Node withPlaceholder() {
        Node best = null;
        for (Node n : nodes) {
            if (n.ready && n.placeholders > 0 && (best == null || n.placeholders > best.placeholders)) {
                best = n;
            }
        }
        return best;
    }

    /** Nodes launched or running now. */
    public int nodes() {
        return nodes.size();
    }

    /** Nodes that are Ready now. */
    public int readyNodes() {
        return (int) nodes.stream().filter(n -> n.ready).count();
    }

    /** Placeholders bound to a node now. */
    public int boundPlaceholders() {
        return nodes.stream().mapToInt(n -> n.placeholders).sum();
    }

    /** Consumer pods bound to a node now. */
    public int boundPods() {
        return nodes.stream().mapToInt(n -> n.consumers).sum();
    }

    /** Nodes launched since the start. */
    public int launches() {
        return launches;
    }

    /** The sum over steps of the nodes that existed (launching or Ready). */
    public long nodeSeconds() {
        return nodeSeconds;
    }

    /** Checks the pool's bookkeeping; throws IllegalStateException when a node holds more than it can. */
    public void checkInvariants() {
        int consumers = 0;
        for (Node n : nodes) {
            if (n.free(model.podsPerNode()) < 0 || n.consumers < 0 || n.placeholders < 0 || n.reserved < 0) {
                throw new IllegalStateException("node " + n.id + " over capacity or negative: consumers " + n.consumers
                        + ", placeholders " + n.placeholders + ", reserved " + n.reserved);
            }
            if (!n.ready && n.consumers + n.placeholders + n.reserved > 0) {
                throw new IllegalStateException("node " + n.id + " holds pods before it is Ready");
            }
            consumers += n.consumers;
        }
        long bound = pods.values().stream().filter(s -> s.bound).count();
        if (bound != consumers) {
            throw new IllegalStateException(bound + " pods bound but nodes hold " + consumers);
        }
        if (boundPlaceholders() + pendingPlaceholders != model.headroomPods()) {
            throw new IllegalStateException("placeholders lost: " + boundPlaceholders() + " + " + pendingPlaceholders);
        }
    }
}
