package io.tradetx.scaling.model;

import java.util.List;

/**
 * One HPA sync.
 *
 * @param desired          the replica count the HPA wants (equal to current when it does not scale)
 * @param proposal         the largest of the metrics' proposals before normalisation, or -1 when none was computed
 * @param averageMilli     the first metric's per-replica average in milli-units as shown in TARGETS, or -1
 * @param scalingDisabled  true when the Deployment had 0 replicas (the HPA does nothing)
 * @param reason           why desired is what it is, in a few words
 * @param metrics          each metric's proposal, in the HPA's metric order (empty when none was computed)
 */
public record HpaResult(int desired, int proposal, long averageMilli, boolean scalingDisabled, String reason,
                        List<MetricProposal> metrics) {

    public HpaResult {
        metrics = List.copyOf(metrics);
    }

    /** What one External metric proposed, with its per-replica average and target in milli-units. */
    public record MetricProposal(String name, int proposal, long averageMilli, long targetMilli) {
    }
}
