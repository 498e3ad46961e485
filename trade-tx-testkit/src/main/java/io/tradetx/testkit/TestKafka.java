package io.tradetx.testkit;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;

/** Helpers for tests on the shared broker: unique topics and groups, their settings and an admin client. */
public final class TestKafka {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private TestKafka() {
    }

    public static String unique(String prefix) {
        return prefix + "-" + System.currentTimeMillis() % 100_000 + "-" + SEQ.incrementAndGet();
    }

    public static KafkaSettings topic(String topic, int partitions) throws Exception {
        KafkaSettings settings = KafkaSettings.local(SharedBroker.bootstrapServers(), topic, partitions);
        try (Admin admin = admin(settings)) {
            TopicProvisioner.ensureTopic(admin, topic, partitions, (short) 1, Map.of());
            TopicProvisioner.ensureTopic(admin, topic + ".dlq", 1, (short) 1, Map.of());
        }
        return settings;
    }

    public static Admin admin(KafkaSettings settings) {
        return Admin.create(KafkaClientProperties.admin(settings, "test-admin"));
    }
}
