package io.tradetx.scaling.nodes;

import java.util.Locale;

/**
 * How consumer pods get a node on EKS Auto Mode (Karpenter): a pod that does not fit waits for a node to launch;
 * an empty node is removed after the consolidation delay; optional placeholder pods (the over-provisioning
 * pattern, k8s/optional/overprovisioning.yaml) hold warm room that a consumer pod takes by preempting one.
 *
 * @param podsPerNode            consumer pods (or placeholders, sized alike) one node holds
 * @param launchSeconds          from a pending pod to a Ready node it can run on; 0 = a warm node is always there
 * @param consolidateAfterSeconds how long a node stays empty before it is removed
 * @param headroomPods           placeholder pods, each as big as a consumer pod
 * @param preemptionSeconds      from preempting a placeholder to the consumer pod bound in its place
 */
public record NodeModel(int podsPerNode, double launchSeconds, double consolidateAfterSeconds, int headroomPods,
                        double preemptionSeconds) {

    /** EKS Auto Mode's general-purpose NodePool: WhenEmptyOrUnderutilized after 30 s. */
    public static final double DEFAULT_CONSOLIDATE_AFTER_SECONDS = 30;
    /** A pause pod has terminationGracePeriodSeconds 0: deleted at once, the preemptor binds in the next cycle. */
    public static final double DEFAULT_PREEMPTION_SECONDS = 2;
    /** Karpenter on Auto Mode, from a pending pod to a Ready node (batching, EC2 launch, boot, kubelet join). */
    public static final double COLD_LAUNCH_SECONDS = 45;

    public NodeModel {
        if (podsPerNode < 1 || launchSeconds < 0 || consolidateAfterSeconds < 0 || headroomPods < 0
                || preemptionSeconds < 0) {
            throw new IllegalArgumentException("invalid node model: " + this);
        }
    }

    /** Warm nodes: a node with room is always ready at once; 15 consumer pods per node. */
    public static final NodeModel WARM = warm(NodeSize.DEFAULT.podsPerNode(PodRequests.CONSUMER));

    public static NodeModel warm(int podsPerNode) {
        return new NodeModel(podsPerNode, 0, DEFAULT_CONSOLIDATE_AFTER_SECONDS, 0, DEFAULT_PREEMPTION_SECONDS);
    }

    public NodeModel withLaunchSeconds(double s) {
        return new NodeModel(podsPerNode, s, consolidateAfterSeconds, headroomPods, preemptionSeconds);
    }

    public NodeModel withHeadroom(int pods) {
        return new NodeModel(podsPerNode, launchSeconds, consolidateAfterSeconds, pods, preemptionSeconds);
    }

    /** True when pods never wait for a node. */
    public boolean warmNodes() {
        return launchSeconds == 0;
    }

    /** One line for reports. */
    public String describe() {
        return String.format(Locale.ROOT, "%d pods per node, %s, consolidation after %.0f s%s", podsPerNode,
                warmNodes() ? "warm nodes (no wait)" : String.format(Locale.ROOT, "node launch %.0f s", launchSeconds),
                consolidateAfterSeconds, headroomPods == 0 ? "" : ", headroom " + headroomPods + " placeholder pods");
    }
}
