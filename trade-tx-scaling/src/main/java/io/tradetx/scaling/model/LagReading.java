package io.tradetx.scaling.model;

/**
 * One call of the kafka scaler.
 *
 * @param metricValue            the total lag after the partition cap: the External metric the HPA sees
 * @param totalLag               the total lag before the cap, persistent lag excluded when configured
 * @param totalLagWithPersistent the total lag before the cap including persistent lag, used for activation
 * @param active                 totalLagWithPersistent &gt; activationLagThreshold
 * @param partitions             the number of partitions considered (after partitionLimitation)
 * @param partitionsWithLag      partitions whose lag (as counted for the metric) is &gt; 0
 */
public record LagReading(long metricValue, long totalLag, long totalLagWithPersistent, boolean active,
                         int partitions, int partitionsWithLag) {
}
