package io.tradetx.scaling;

import io.tradetx.scaling.model.PartitionOffsets;
import java.util.List;

/**
 * What the {@link ScalingController} needs from a cluster: fresh offsets, the Deployment's replicas and a
 * way to set them. The local runner implements it over a real broker, the simulator over its model.
 */
public interface ClusterView {

    /** The group's committed offsets and the log-end offsets of every partition, read now (not cached). */
    List<PartitionOffsets> offsets();

    /** The Deployment's spec replicas: what was last set with {@link #scaleTo}, or the initial count. */
    int replicas();

    /** The Deployment's existing pods (status replicas, ready or not); by default the spec replicas. */
    default int podCount() {
        return replicas();
    }

    /** Sets the Deployment's spec replicas; called by KEDA (0 to N, N to 0) and the HPA (1 to N). */
    void scaleTo(int replicas);
}
