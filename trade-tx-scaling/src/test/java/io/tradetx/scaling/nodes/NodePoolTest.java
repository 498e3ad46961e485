package io.tradetx.scaling.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Packing pods on nodes, launching nodes, consolidating empty ones, and placeholders preempted for room. */
class NodePoolTest {

    private static NodePool pool(int podsPerNode, double launch, double consolidate, int headroom, double preempt) {
        return new NodePool(new NodeModel(podsPerNode, launch, consolidate, headroom, preempt), List.of(), 0);
    }

    @Test
    void podsPerNodeComeFromTheRequestsAndTheNodeSize() {
        // 4 vCPU: 4000m - (60 + 10 + 5 + 5)m reserved = 3920m / 250m = 15; 8 GiB - (255 + 11 x 110 + 100)Mi = 6627Mi
        // / 384Mi = 17: CPU decides.
        assertEquals(80, NodeSize.DEFAULT.reservedCpuMillis());
        assertEquals(15, NodeSize.DEFAULT.podsPerNode(PodRequests.CONSUMER));
        assertEquals(15, NodeModel.WARM.podsPerNode());
        // 2 vCPU / 4 GiB: 1930m / 250m = 7, 2531Mi / 384Mi = 6: memory decides.
        assertEquals(6, NodeSize.parse("2/4Gi").podsPerNode(PodRequests.CONSUMER));
        assertEquals(new PodRequests(250, 384), PodRequests.fromDeploymentYaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: c}
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          resources:
                            requests: {cpu: 250m, memory: 384Mi}
                """, "c"));
        assertEquals(1500, PodRequests.cpuMillis("1.5"));
        assertEquals(1024, PodRequests.memoryMiB("1Gi"));
        assertEquals(476.837158203125, PodRequests.memoryMiB("500M"), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> NodeSize.parse("4cpu"));
        assertThrows(IllegalArgumentException.class, () -> new NodeSize(1, 1024, 110).podsPerNode(PodRequests.CONSUMER));
    }

    @Test
    void aPodThatDoesNotFitWaitsForANodeToLaunch() {
        NodePool p = pool(2, 45, 30, 0, 2);
        p.add(1);
        p.add(2);
        p.add(3);
        p.step(10);
        // Two nodes launched for three pending pods, nothing bound before they are Ready.
        assertEquals(2, p.nodes());
        assertEquals(0, p.readyNodes());
        assertFalse(p.isBound(1));
        p.step(54);
        assertFalse(p.isBound(1));
        p.step(55);
        assertTrue(p.isBound(1) && p.isBound(2) && p.isBound(3));
        assertEquals(55, p.boundAt(3));
        // The scheduler spreads by most free room: pod 1 on the first node, pod 2 on the second, pod 3 on the first.
        assertEquals(List.of(2, 1, 2), List.of(p.colocated(1), p.colocated(2), p.colocated(3)));
        assertEquals(2, p.launches());
        p.checkInvariants();
    }

    @Test
    void aLaunchingNodesRoomCountsSoNoExtraNodeIsLaunched() {
        NodePool p = pool(4, 45, 30, 0, 2);
        p.add(1);
        p.step(0);
        p.add(2);
        p.step(5);   // the node on its way has room for both
        assertEquals(1, p.launches());
        p.step(45);
        assertTrue(p.isBound(2));
    }

    @Test
    void warmNodesBindAtOnceAndEmptyNodesGoAfterTheConsolidationDelay() {
        NodePool p = pool(2, 0, 30, 0, 2);
        for (int id = 1; id <= 3; id++) {
            p.add(id);
        }
        p.step(0);
        assertTrue(p.isBound(3));
        assertEquals(0, p.boundAt(3));
        assertEquals(2, p.nodes());
        assertEquals(1, p.colocated(2));   // pods 1 and 3 on the first node, pod 2 alone on the second
        p.remove(2);
        p.step(1);    // the second node is empty from t = 1
        p.step(30);
        assertEquals(2, p.nodes());
        p.step(31);   // 30 s empty: removed
        assertEquals(1, p.nodes());
        assertEquals(2 + 2 + 2 + 1, p.nodeSeconds());
        p.checkInvariants();
    }

    @Test
    void aConsumerPodPreemptsAPlaceholderAndThePlaceholderWaitsForANewNode() {
        NodePool p = new NodePool(new NodeModel(2, 45, 30, 2, 2), List.of(), 0);
        assertEquals(1, p.nodes());
        assertEquals(2, p.boundPlaceholders());
        p.add(1);
        p.step(100);
        // No free room: a placeholder is preempted, the pod is nominated and binds 2 s later.
        assertFalse(p.isBound(1));
        assertEquals(1, p.boundPlaceholders());
        assertEquals(2, p.nodes());   // a node launched for the pending placeholder
        p.step(101);
        assertFalse(p.isBound(1));
        p.step(102);
        assertTrue(p.isBound(1));
        assertEquals(102, p.boundAt(1));
        p.step(145);  // the new node is Ready: the placeholder is back, warm room restored
        assertEquals(2, p.boundPlaceholders());
        p.checkInvariants();
        // A node holding only placeholders is not empty: never consolidated.
        p.remove(1);
        for (int t = 146; t < 400; t++) {
            p.step(t);
        }
        assertEquals(2, p.nodes());
        assertEquals(2, p.boundPlaceholders());
        p.checkInvariants();
    }
}
