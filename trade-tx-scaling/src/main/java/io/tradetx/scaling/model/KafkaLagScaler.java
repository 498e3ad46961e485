package io.tradetx.scaling.model;

import io.tradetx.scaling.spec.KafkaTriggerSpec;
import io.tradetx.scaling.spec.OffsetResetPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * KEDA's kafka scaler: turns per-partition offsets into the HPA metric and the activity flag.
 * Stateful only for excludePersistentLag, which compares each committed offset with the previous call's.
 */
public final class KafkaLagScaler {

    private final KafkaTriggerSpec trigger;
    private final Set<Integer> onlyPartitions;
    private final Map<Integer, Long> previousCommitted = new HashMap<>();

    public KafkaLagScaler(KafkaTriggerSpec trigger) {
        this.trigger = trigger;
        this.onlyPartitions = new HashSet<>(trigger.partitionIds());
    }

    /** One scaler call on freshly read offsets. */
    public LagReading read(List<PartitionOffsets> offsets) {
        long totalLag = 0;
        long totalWithPersistent = 0;
        int partitions = 0;
        int withLag = 0;
        for (PartitionOffsets p : offsets) {
            if (!onlyPartitions.isEmpty() && !onlyPartitions.contains(p.partition())) {
                continue;
            }
            partitions++;
            long[] lag = lag(p);
            totalLag += lag[0];
            totalWithPersistent += lag[1];
            if (lag[0] > 0) {
                withLag++;
            }
        }
        totalLag = Math.max(0, totalLag);
        totalWithPersistent = Math.max(0, totalWithPersistent);
        long metric = cap(totalLag, partitions, withLag);
        boolean active = totalWithPersistent > trigger.activationLagThreshold();
        return new LagReading(metric, totalLag, totalWithPersistent, active, partitions, withLag);
    }

    /** {lag for the metric, lag for activation} of one partition. */
    private long[] lag(PartitionOffsets p) {
        if (p.committed() == PartitionOffsets.NONE) {
            long lag;
            if (trigger.scaleToZeroOnInvalidOffset()) {
                lag = 0;
            } else {
                lag = trigger.offsetResetPolicy() == OffsetResetPolicy.LATEST ? 1 : p.logEnd();
            }
            return new long[] {lag, lag};
        }
        long lag = p.logEnd() - p.committed();
        if (trigger.excludePersistentLag()) {
            Long previous = previousCommitted.put(p.partition(), p.committed());
            if (previous != null && previous == p.committed()) {
                return new long[] {0, lag};
            }
        }
        return new long[] {lag, lag};
    }

    /** The partition cap; integer division lets the metric reach (upper + 1) * threshold - 1. */
    private long cap(long totalLag, int partitions, int partitionsWithLag) {
        long threshold = trigger.lagThreshold();
        if (!trigger.allowIdleConsumers() || trigger.limitToPartitionsWithLag()
                || trigger.ensureEvenDistributionOfPartitions()) {
            long upper = partitions;
            if (trigger.ensureEvenDistributionOfPartitions()) {
                totalLag = nextFactor(totalLag, partitions, threshold) * threshold;
            }
            if (trigger.limitToPartitionsWithLag()) {
                upper = partitionsWithLag;
            }
            if (totalLag / threshold > upper) {
                totalLag = upper * threshold;
            }
        }
        return totalLag;
    }

    /** The smallest factor f of {@code partitions} with f * threshold &gt;= lag, else partitions. */
    static long nextFactor(long lag, int partitions, long threshold) {
        for (int f = 1; f <= partitions; f++) {
            if (partitions % f == 0 && f * threshold >= lag) {
                return f;
            }
        }
        return partitions;
    }
}
