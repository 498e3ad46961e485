package io.tradetx.scaling.sim;

import io.tradetx.protocol.GroupProtocol;
import io.tradetx.scaling.nodes.NodeModel;
import io.tradetx.scaling.spec.ScaledObjectSpec;

/**
 * Everything a simulation run needs.
 *
 * @param partitions      partitions of the topic (the seed has 24)
 * @param initialReplicas the Deployment's replicas at t = 0 (their pods start ready and assigned)
 * @param nodes           how pods get nodes (warm: always at once; or EKS Auto Mode launching nodes)
 */
public record SimulationInput(ScaledObjectSpec spec, LoadProfile load, int partitions, PodProfile pod,
                              GroupProtocol protocol, int initialReplicas, NodeModel nodes) {

    public SimulationInput {
        if (partitions <= 0 || initialReplicas < 0) {
            throw new IllegalArgumentException("partitions must be > 0 and initialReplicas >= 0");
        }
    }

    /** An input on warm nodes. */
    public SimulationInput(ScaledObjectSpec spec, LoadProfile load, int partitions, PodProfile pod,
                           GroupProtocol protocol, int initialReplicas) {
        this(spec, load, partitions, pod, protocol, initialReplicas, NodeModel.WARM);
    }

    /** 24 partitions, the default pod profile, cooperative-sticky, warm nodes, starting at 0 replicas. */
    public static SimulationInput of(ScaledObjectSpec spec, LoadProfile load) {
        return new SimulationInput(spec, load, 24, PodProfile.DEFAULT, GroupProtocol.CLASSIC, 0, NodeModel.WARM);
    }

    public SimulationInput withSpec(ScaledObjectSpec s) {
        return new SimulationInput(s, load, partitions, pod, protocol, initialReplicas, nodes);
    }

    public SimulationInput withLoad(LoadProfile l) {
        return new SimulationInput(spec, l, partitions, pod, protocol, initialReplicas, nodes);
    }

    public SimulationInput withPartitions(int n) {
        return new SimulationInput(spec, load, n, pod, protocol, initialReplicas, nodes);
    }

    public SimulationInput withPod(PodProfile p) {
        return new SimulationInput(spec, load, partitions, p, protocol, initialReplicas, nodes);
    }

    public SimulationInput withProtocol(GroupProtocol p) {
        return new SimulationInput(spec, load, partitions, pod, p, initialReplicas, nodes);
    }

    public SimulationInput withInitialReplicas(int n) {
        return new SimulationInput(spec, load, partitions, pod, protocol, n, nodes);
    }

    public SimulationInput withNodes(NodeModel n) {
        return new SimulationInput(spec, load, partitions, pod, protocol, initialReplicas, n);
    }
}
