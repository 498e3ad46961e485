package io.tradetx.scaling.sim;

/**
 * One simulated second: arrivals, processed messages, total lag at its end, the Deployment's replicas
 * (spec), the pods in the group (ready), KEDA's activity, and the nodes under the Deployment (launching or
 * Ready).
 */
public record TimelineRow(int tSeconds, long rateIn, long rateProcessed, long lagTotal, int replicasDesired,
                          int replicasReady, boolean active, int nodes) {
}
