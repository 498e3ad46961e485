package io.tradetx.common.kafka;

import io.tradetx.protocol.GroupProtocol;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Builds every Kafka client's properties in one place, for local PLAINTEXT and for MSK IAM alike. */
public final class KafkaClientProperties {

    private KafkaClientProperties() {
    }

    /** Connection and authentication shared by every client. */
    public static Properties common(KafkaSettings settings, String clientId) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
        // Bound reconnect back-off so a restarted broker is found again within seconds, not minutes.
        p.put(CommonClientConfigs.RECONNECT_BACKOFF_MAX_MS_CONFIG, "2000");
        if (settings.auth() == KafkaAuth.IAM) {
            // MSK IAM: TLS to the brokers, SASL with a signed token from the pod's AWS credentials.
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
            p.put(SaslConfigs.SASL_MECHANISM, "AWS_MSK_IAM");
            p.put(SaslConfigs.SASL_JAAS_CONFIG, "software.amazon.msk.auth.iam.IAMLoginModule required;");
            p.put(SaslConfigs.SASL_CLIENT_CALLBACK_HANDLER_CLASS,
                    "software.amazon.msk.auth.iam.IAMClientCallbackHandler");
        } else if (settings.auth() == KafkaAuth.SCRAM) {
            if (settings.saslCredentials() == null) {
                throw new IllegalStateException("KAFKA_AUTH=scram needs a SCRAM user name and password");
            }
            // The local multi-tenant broker: one SCRAM login per tenant workload, its ACLs mirroring that
            // workload's IAM policy. No TLS locally; KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL adds it elsewhere.
            p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
            p.put(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512");
            p.put(SaslConfigs.SASL_JAAS_CONFIG, settings.saslCredentials().scramJaasConfig());
        }
        return p;
    }

    /** The trade producer: durable, ordered per key, compressed. */
    public static Properties producer(KafkaSettings settings, String clientId) {
        return producer(settings, clientId, Duration.ofSeconds(60));
    }

    /**
     * The trade producer, with {@code send()} blocking at most {@code maxBlock} on a full buffer or
     * missing metadata: the send loop notices a stop request no later than that.
     */
    public static Properties producer(KafkaSettings settings, String clientId, Duration maxBlock) {
        Properties p = common(settings, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        // A trade is a financial record: wait for all in-sync replicas.
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // Idempotence keeps retries from duplicating or reordering a key's trades.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        // JSON compresses well; lz4 costs little CPU at 50k msg/s.
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // A few ms of batching gives large batches at high rates and is invisible at low ones.
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "65536");
        // Bounded memory: when the broker is unreachable send() blocks instead of the buffer growing, then
        // fails through its callback (Kafka 4.x does not throw).
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(32L * 1024 * 1024));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, String.valueOf(maxBlock.toMillis()));
        // Keep retrying through a broker restart for two minutes before a send counts as failed.
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        return withOverrides(p, settings, ProducerConfig.configNames());
    }

    /**
     * The microbatch consumer. Offsets are committed by the app after the sink succeeds, and the
     * group protocol decides how much of the group pauses when members join or leave.
     */
    public static Properties consumer(KafkaSettings settings, String clientId, String groupId,
                                      GroupProtocol protocol, int maxPollRecords) {
        Properties p = common(settings, clientId);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // Commit only what the sink has stored.
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A new group starts at the beginning: 'latest' would silently skip trades sent before it joined.
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(maxPollRecords));
        // Only committed data of transactional producers is ever processed.
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Fetched data must fit the image's small heap (30 % of the pod's memory limit): the client keeps
        // about one fetch response per broker plus the one being prefetched. 1 MiB per partition is the
        // topic's max.message.bytes (a larger record batch still comes back alone, so nothing is stuck);
        // 4 MiB per response is thousands of trades, plenty for a pod's share of the load.
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(1024 * 1024));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(4 * 1024 * 1024));
        // The loop polls every 100 ms; the only long stop is the revoke wait for a batch in flight, which
        // is half of this. 60 s instead of 300 s: a member stuck in a revocation holds the moving
        // partitions for at most 30 s, not 150 s.
        p.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, "60000");
        switch (protocol) {
            case CLASSIC -> {
                p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
                // Members keep unmoved partitions during a rebalance; only moved ones pause.
                p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
                // A killed pod's partitions move after 10 s rather than the default 45 s.
                p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
                p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
            }
            case EAGER -> {
                // Kept only to measure what cooperative rebalancing saves: every member stops at each change.
                p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
                p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        org.apache.kafka.clients.consumer.RangeAssignor.class.getName());
                p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
                p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
            }
            // KIP-848: the broker assigns incrementally; the client rejects assignor and timeout settings.
            case CONSUMER -> p.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        }
        return withOverrides(p, settings, ConsumerConfig.configNames());
    }

    /**
     * A plain byte[] producer for the dead-letter topic: same durability as the trade producer, and
     * every wait bounded, because the consumer's worker waits for these acknowledgements (and retries a
     * failed publish itself, with back-off, for as long as the batch is not given up).
     */
    public static Properties deadLetterProducer(KafkaSettings settings, String clientId) {
        Properties p = common(settings, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        // One publish attempt ends within max.block.ms (metadata, buffer space) + delivery.timeout.ms;
        // delivery.timeout.ms must be >= linger.ms + request.timeout.ms. send() cannot be interrupted by
        // giving the batch up, so max.block.ms stays below the consumer's 3 s wait for a given-up batch.
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        // A dead letter is at most MAX_RECORD_BYTES plus under 2 KiB of headers, below 1 MiB; the buffer
        // holds a few of them without taking the small heap's room.
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(1024 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(4 * 1024 * 1024));
        return withOverrides(p, settings, ProducerConfig.configNames());
    }

    public static Properties admin(KafkaSettings settings, String clientId) {
        Properties p = common(settings, clientId);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        return withOverrides(p, settings, AdminClientConfig.configNames());
    }

    /** KAFKA_CLIENT_* overrides win over the defaults above, for the clients that know the property. */
    private static Properties withOverrides(Properties p, KafkaSettings settings, java.util.Set<String> known) {
        settings.clientOverrides().forEach((k, v) -> {
            if (known.contains(k)) {
                p.put(k, v);
            }
        });
        return p;
    }
}
