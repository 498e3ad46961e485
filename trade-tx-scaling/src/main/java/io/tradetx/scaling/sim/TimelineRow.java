package io.tradetx.scaling.sim;

/**
 * One simulated second: arrivals, processed messages, total lag at its end, the Deployment's replicas
 * (spec), the pods in the group (ready), and KEDA's activity.
 */
public record TimelineRow(int tSeconds, long rateIn, long rateProcessed, long lagTotal, int replicasDesired,
                          int replicasReady, boolean active) {
}
