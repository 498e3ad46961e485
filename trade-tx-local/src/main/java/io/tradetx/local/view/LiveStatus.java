package io.tradetx.local.view;

import io.tradetx.consumer.pool.ConsumerPool.PodState;
import java.util.List;

/**
 * One moment of a local run, as the live view shows it.
 *
 * @param partitionLag  lag per partition in partition order; empty when it could not be read
 * @param lagProblem    why the lag could not be read, or null
 * @param producerRate  messages per second the broker acknowledged, over the last seconds
 * @param consumerRate  messages per second the consumers stored, over the last seconds
 * @param note          feedback on the last line typed, or null
 */
public record LiveStatus(double elapsedSeconds, String topic, int partitions, String group, ScalingDisplay scaling,
                         List<PodState> pods, List<Long> partitionLag, String lagProblem, int targetRate,
                         double producerRate, double consumerRate, String note, String logFile) {

    public LiveStatus {
        pods = List.copyOf(pods);
        partitionLag = List.copyOf(partitionLag);
    }
}
