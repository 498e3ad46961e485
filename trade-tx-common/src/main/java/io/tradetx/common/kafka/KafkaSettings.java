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
 * {@code saslCredentials} is the SCRAM login when {@code auth} is SCRAM, else null.
 */
public record KafkaSettings(
        String bootstrapServers,
        String topic,
        KafkaAuth auth,
        String awsRegion,
        int topicPartitions,
        short topicReplicationFactor,
        Map<String, String> clientOverrides,
        SaslCredentials saslCredentials) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_TOPIC = "trade-tx";
    public static final int DEFAULT_TOPIC_PARTITIONS = 24;
    public static final int MIN_TOPIC_PARTITIONS = 1;
    public static final int MAX_TOPIC_PARTITIONS = 10_000;
    public static final int DEFAULT_REPLICATION_FACTOR = 1;
    public static final String OVERRIDE_PREFIX = "KAFKA_CLIENT_";
    private static final String REDACTED = "<redacted>";

    private static final Set<String> KNOWN_CLIENT_PROPERTIES = knownClientProperties();

    public KafkaSettings {
        clientOverrides = Map.copyOf(clientOverrides);
    }

    /** Settings without a SASL login (none or IAM). */
    public KafkaSettings(String bootstrapServers, String topic, KafkaAuth auth, String awsRegion, int topicPartitions,
                         short topicReplicationFactor, Map<String, String> clientOverrides) {
        this(bootstrapServers, topic, auth, awsRegion, topicPartitions, topicReplicationFactor, clientOverrides, null);
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
        SaslCredentials credentials = saslCredentials(env, auth);
        int partitions = env.integer("TOPIC_PARTITIONS", DEFAULT_TOPIC_PARTITIONS, MIN_TOPIC_PARTITIONS,
                MAX_TOPIC_PARTITIONS);
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
        return new KafkaSettings(bootstrap, topic, auth, region, partitions, (short) replication, overrides,
                credentials);
    }

    /**
     * KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD: both required with KAFKA_AUTH=scram, and refused
     * otherwise (a login that is silently not used hides a wrong KAFKA_AUTH). The password is never echoed.
     */
    private static SaslCredentials saslCredentials(Env env, KafkaAuth auth) {
        String username = env.raw("KAFKA_SASL_USERNAME");
        String password = env.raw("KAFKA_SASL_PASSWORD");
        if (auth != KafkaAuth.SCRAM) {
            if (username != null) {
                env.problem("KAFKA_SASL_USERNAME", username, "unset unless KAFKA_AUTH=scram");
            }
            if (password != null) {
                env.problem("KAFKA_SASL_PASSWORD", REDACTED, "unset unless KAFKA_AUTH=scram");
            }
            return null;
        }
        if (username == null) {
            env.problem("KAFKA_SASL_USERNAME", null, "the SCRAM user name when KAFKA_AUTH=scram");
        } else {
            env.check(username.matches("\\S{1,255}"), "KAFKA_SASL_USERNAME", username,
                    "1-255 characters without spaces");
        }
        if (password == null) {
            env.problem("KAFKA_SASL_PASSWORD", null, "the SCRAM password when KAFKA_AUTH=scram");
        }
        return username == null || password == null ? null : new SaslCredentials(username, password);
    }

    /** Settings for a local PLAINTEXT broker, used by the local runner and tests. */
    public static KafkaSettings local(String bootstrapServers, String topic, int partitions) {
        return new KafkaSettings(bootstrapServers, topic, KafkaAuth.NONE, null, partitions, (short) 1, Map.of());
    }

    public KafkaSettings withTopic(String newTopic) {
        return new KafkaSettings(bootstrapServers, newTopic, auth, awsRegion, topicPartitions,
                topicReplicationFactor, clientOverrides, saslCredentials);
    }

    /** The same settings authenticating with this SCRAM login (the local multi-tenant broker). */
    public KafkaSettings withScram(SaslCredentials credentials) {
        return new KafkaSettings(bootstrapServers, topic, KafkaAuth.SCRAM, null, topicPartitions,
                topicReplicationFactor, clientOverrides, java.util.Objects.requireNonNull(credentials));
    }

    /** One line for the start-up log; overrides are shown by name only since they may hold secrets. */
    public String describe() {
        return "bootstrap_servers=" + bootstrapServers + ", topic=" + topic + ", auth="
                + auth.name().toLowerCase(Locale.ROOT) + (awsRegion == null ? "" : ", region=" + awsRegion)
                + (saslCredentials == null ? ""
                        : ", sasl_username=" + saslCredentials.username() + ", sasl_password=" + REDACTED)
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
