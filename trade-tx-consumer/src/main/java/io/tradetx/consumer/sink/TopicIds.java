package io.tradetx.consumer.sink;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;

/**
 * The current id (Kafka's topic UUID) of each topic name. A topic deleted and created again with the
 * same name gets a new id and starts again at offset 0, so a sink that keys rows by Kafka coordinates
 * needs the id to tell the new records from the old ones. The consumer API does not expose it.
 */
public interface TopicIds extends AutoCloseable {
    /** Ids unknown: every topic gets {@link Uuid#ZERO_UUID}; re-created topics then conflict (see PostgresSink). */
    TopicIds UNKNOWN = topics -> {
        Map<String, Uuid> ids = new HashMap<>();
        topics.forEach(t -> ids.put(t, Uuid.ZERO_UUID));
        return ids;
    };

    /** The id of each topic, asked now (not cached: the point is to notice a re-created topic). */
    Map<String, Uuid> of(Set<String> topics) throws Exception;

    @Override
    default void close() {
    }

    /** Asks the cluster with an admin client, each call bounded by the timeout. */
    static TopicIds fromCluster(KafkaSettings kafka, String clientId, Duration timeout) {
        return new TopicIds() {
            private Admin admin;

            @Override
            public Map<String, Uuid> of(Set<String> topics) throws Exception {
                if (admin == null) {
                    admin = Admin.create(KafkaClientProperties.admin(kafka, clientId));
                }
                Map<String, TopicDescription> found = admin.describeTopics(topics,
                                new DescribeTopicsOptions().timeoutMs((int) timeout.toMillis()))
                        .allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                Map<String, Uuid> ids = new HashMap<>();
                found.forEach((name, d) -> ids.put(name, d.topicId()));
                return ids;
            }

            @Override
            public void close() {
                if (admin != null) {
                    admin.close(timeout);
                }
            }
        };
    }
}
