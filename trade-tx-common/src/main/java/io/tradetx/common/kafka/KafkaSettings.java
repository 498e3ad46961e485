package io.tradetx.common.kafka;

import io.tradetx.common.config.Env;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Where Kafka is, how to authenticate, which topic to use, and any extra client properties given
 * as {@code KAFKA_CLIENT_<PROPERTY>} variables (e.g. {@code KAFKA_CLIENT_LINGER_MS=20} sets linger.ms).
 */
public record KafkaSettings(
        String bootstrapServers,
        String topic,
        KafkaAuth auth,
        String awsRegion,
        int topicPartitions,
        short topicReplicationFactor,
        Map<String, String> clientOverrides) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_TOPIC = "trade-tx";
    public static final int DEFAULT_TOPIC_PARTITIONS = 24;
    public static final int DEFAULT_REPLICATION_FACTOR = 1;
    public static final String OVERRIDE_PREFIX = "KAFKA_CLIENT_";

    private static final Set<String> KNOWN_CLIENT_PROPERTIES = knownClientProperties();

    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
    }

    public static KafkaSettings fromEnv(Env env) {
        String bootstrap = env.string("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP_SERVERS);
        env.check(bootstrap.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*"), "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "a comma-separated list of host:port");
        String topic = env.string("KAFKA_TOPIC", DEFAULT_TOPIC);
        env.check(topic.matches("[a-zA-Z0-9._-]{1,249}"), "KAFKA_TOPIC", topic,
                "a Kafka topic name: 1-249 of letters, digits, '.', '_', '-'");
        KafkaAuth auth = env.choice("KAFKA_AUTH", KafkaAuth.NONE, KafkaAuth.class);
        String region = env.raw("AWS_REGION");
        if (auth == KafkaAuth.IAM && region == null) {
            env.problem("AWS_REGION", null, "an AWS region such as us-east-1 when KAFKA_AUTH=iam");
        }
        int partitions = env.integer("TOPIC_PARTITIONS", DEFAULT_TOPIC_PARTITIONS, 1, 10_000);
        int replication = env.integer("TOPIC_REPLICATION_FACTOR", DEFAULT_REPLICATION_FACTOR, 1, 32);
        Map<String, String> overrides = new LinkedHashMap<>();
        env.withPrefix(OVERRIDE_PREFIX).forEach((name, value) -> {
            String property = name.substring(OVERRIDE_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (KNOWN_CLIENT_PROPERTIES.contains(property)) {
                overrides.put(property, value);
            } else {
                env.problem(name, value, "named after a Kafka client property (" + property + " is not one)");
            }
        });
        return new KafkaSettings(bootstrap, topic, auth, region, partitions, (short) replication, overrides);
    }

    /** Settings for a local PLAINTEXT broker, used by the local runner and tests. */
    public static KafkaSettings local(String bootstrapServers, String topic, int partitions) {
        return new KafkaSettings(bootstrapServers, topic, KafkaAuth.NONE, null, partitions, (short) 1, Map.of());
    }

    public KafkaSettings withTopic(String newTopic) {
        return new KafkaSettings(bootstrapServers, newTopic, auth, awsRegion, topicPartitions,
                topicReplicationFactor, clientOverrides);
    }

    /** One line for the start-up log; overrides are shown by name only since they may hold secrets. */
    public String describe() {
        return "bootstrap_servers=" + bootstrapServers + ", topic=" + topic + ", auth="
                + auth.name().toLowerCase(Locale.ROOT) + (awsRegion == null ? "" : ", region=" + awsRegion)
                + ", partitions=" + topicPartitions + ", replication_factor=" + topicReplicationFactor
                + (clientOverrides.isEmpty() ? "" : ", client_overrides=" + clientOverrides.keySet());
    }

    private static Set<String> knownClientProperties() {
        Set<String> names = new HashSet<>();
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
