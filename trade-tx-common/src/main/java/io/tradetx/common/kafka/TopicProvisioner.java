package io.tradetx.common.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates a topic with the configured partitions if it is missing, and reports one that is too small. */
public final class TopicProvisioner {
    private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

    private TopicProvisioner() {
    }

    /**
     * Waits until every partition has a leader in the brokers' metadata: an idempotent producer that
     * sends the moment a topic is created can get NOT_LEADER and then stall on out-of-order sequences.
     */
    static void awaitLeaders(Admin admin, String topic) throws ExecutionException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
        LOG.warn("Topic {} still has partitions without a leader after 30 s", topic);
    }

    /**
     * Ensures the topic exists; never relies on broker auto-create. Returns its partition count.
     * An existing topic with fewer partitions than asked is kept (shrinking is impossible, growing
     * breaks key order) and reported, because it caps the consumer replicas KEDA can use.
     */
    public static int ensureTopic(Admin admin, String topic, int partitions, short replicationFactor,
                                  Map<String, String> configs) throws InterruptedException {
        try {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor).configs(configs)))
                        .all().get();
                awaitLeaders(admin, topic);
                LOG.info("Created topic {} with {} partitions, replication factor {}", topic, partitions,
                        replicationFactor);
                return partitions;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            int existing = description.partitions().size();
            if (existing < partitions) {
                LOG.warn("Topic {} has {} partitions, fewer than TOPIC_PARTITIONS={}: at most {} consumers "
                        + "can work in parallel; add partitions with kafka-topics --alter if key order allows",
                        topic, existing, partitions, existing);
            } else {
                LOG.info("Topic {} exists with {} partitions", topic, existing);
            }
            return existing;
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create or describe topic " + topic + ": " + e.getCause(),
                    e.getCause());
        }
    }

    /**
     * {@link #ensureTopic}, tried again every 5 s while Kafka is unreachable (logged, not a crash loop)
     * until it succeeds or {@code stopped} says so. Each attempt gives up after {@code attemptTimeout},
     * so a stop request is noticed within that. Returns the partition count, or -1 if stopped first;
     * other errors (authentication, authorization) are thrown.
     */
    public static int ensureTopicOnceReachable(KafkaSettings kafka, String clientId, Duration attemptTimeout,
                                               String topic, int partitions, Map<String, String> configs,
                                               BooleanSupplier stopped) throws InterruptedException {
        Properties props = KafkaClientProperties.admin(kafka, clientId);
        String timeout = String.valueOf(attemptTimeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        for (int attempt = 1; !stopped.getAsBoolean(); attempt++) {
            try (Admin admin = Admin.create(props)) {
                int n = ensureTopic(admin, topic, partitions, kafka.topicReplicationFactor(), configs);
                if (attempt > 1) {
                    LOG.info("Kafka at {} is reachable after {} attempts", kafka.bootstrapServers(), attempt);
                }
                return n;
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    throw e;
                }
                LOG.warn("Kafka unreachable at {} (attempt {}): {}; retrying in 5 s", kafka.bootstrapServers(),
                        attempt, e.getCause().getMessage());
            }
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!stopped.getAsBoolean() && System.nanoTime() < until) {
                Thread.sleep(100);
            }
        }
        return -1;
    }
}
