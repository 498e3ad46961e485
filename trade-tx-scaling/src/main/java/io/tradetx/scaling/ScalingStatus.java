package io.tradetx.scaling;

/**
 * The autoscaler's state for display, as {@code kubectl get hpa} and KEDA's metrics would show it.
 *
 * @param metricValue    the capped total lag the HPA saw at its last sync, or -1 when it has no metric
 * @param averageMilli   metricValue per existing pod in milli-units (TARGETS), or -1 when none
 * @param totalLag       the uncapped total lag at the last scaler call (with persistent lag)
 * @param createdAtMillis when the ScaledObject (and its HPA) was created, for AGE
 */
public record ScalingStatus(String hpaName, String reference, int minReplicas, int maxReplicas,
                            int currentReplicas, int desiredReplicas, long metricValue, long averageMilli,
                            long targetAverageValue, boolean active, long totalLag, long createdAtMillis) {
}
