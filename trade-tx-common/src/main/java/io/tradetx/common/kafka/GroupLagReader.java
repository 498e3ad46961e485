package io.tradetx.common.kafka;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a group's committed offsets and the topic's log-end offsets through the admin API, the way
 * KEDA's kafka scaler does: without joining the group, so it sees lag grow during rebalance pauses.
 */
public final class GroupLagReader {
    private final Admin admin;
    private final String topic;
    private final String group;

    /** Committed offset (-1 when the group has none) and log-end offset of one partition. */
    public record PartitionLag(int partition, long committed, long logEnd) {
        public long lag() {
            return committed < 0 ? logEnd : Math.max(0, logEnd - committed);
        }
    }

    public GroupLagReader(Admin admin, String topic, String group) {
        this.admin = admin;
        this.topic = topic;
        this.group = group;
    }

    public List<PartitionLag> read() throws ExecutionException, InterruptedException, TimeoutException {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic).partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        List<PartitionLag> out = new ArrayList<>(partitions);
        ends.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            out.add(new PartitionLag(tp.partition(), c == null ? -1 : c.offset(), end.offset()));
        });
        out.sort(Comparator.comparingInt(PartitionLag::partition));
        return out;
    }

    public static long totalLag(List<PartitionLag> lags) {
        long total = 0;
        for (PartitionLag l : lags) {
            total += l.lag();
        }
        return total;
    }
}
