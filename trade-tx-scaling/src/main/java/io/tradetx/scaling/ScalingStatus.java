package io.tradetx.scaling;

import java.util.List;

/**
 * The autoscaler's state for display, as {@code kubectl get hpa} and KEDA's metrics would show it.
 *
 * @param metricValue    the capped total lag the HPA saw at its last sync, or -1 when it has no metric
 * @param averageMilli   metricValue per existing pod in milli-units (TARGETS), or -1 when none
 * @param totalLag       the uncapped total lag at the last scaler call (with persistent lag)
 * @param createdAtMillis when the ScaledObject (and its HPA) was created, for AGE
 * @param targets        every metric of the HPA in order (the kafka lag first, then the ingest rate if any)
 * @param ingestRate     the prometheus trigger's value (msg/s) at its last call, or -1 when there is none
 */
public record ScalingStatus(String hpaName, String reference, int minReplicas, int maxReplicas,
                            int currentReplicas, int desiredReplicas, long metricValue, long averageMilli,
                            long targetAverageValue, boolean active, long totalLag, long createdAtMillis,
                            List<Target> targets, double ingestRate) {

    public ScalingStatus {
        targets = List.copyOf(targets);
    }

    /** A status with the kafka lag as the only metric. */
    public ScalingStatus(String hpaName, String reference, int minReplicas, int maxReplicas, int currentReplicas,
                         int desiredReplicas, long metricValue, long averageMilli, long targetAverageValue,
                         boolean active, long totalLag, long createdAtMillis) {
        this(hpaName, reference, minReplicas, maxReplicas, currentReplicas, desiredReplicas, metricValue, averageMilli,
                targetAverageValue, active, totalLag, createdAtMillis,
                List.of(new Target("lag", averageMilli, targetAverageValue * 1000)), -1);
    }

    /**
     * One metric's TARGETS cell.
     *
     * @param averageMilli the current per-replica average in milli-units, -1 when unknown
     * @param targetMilli  the AverageValue target in milli-units
     */
    public record Target(String name, long averageMilli, long targetMilli) {
    }
}
