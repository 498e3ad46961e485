package io.tradetx.scaling.model;

/**
 * One HPA sync.
 *
 * @param desired          the replica count the HPA wants (equal to current when it does not scale)
 * @param proposal         the metric's proposal before normalisation, or -1 when no metric was computed
 * @param averageMilli     the per-replica average in milli-units as shown in TARGETS, or -1 when none
 * @param scalingDisabled  true when the Deployment had 0 replicas (the HPA does nothing)
 * @param reason           why desired is what it is, in a few words
 */
public record HpaResult(int desired, int proposal, long averageMilli, boolean scalingDisabled, String reason) {
}
