package io.tradetx.consumer.testing;

import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerSettings;
import java.time.Duration;

/** Consumer settings with test values for a topic of the shared broker. */
public final class TestConsumers {
    private TestConsumers() {
    }

    public static ConsumerSettings settings(KafkaSettings kafka, String group, int batchSize, Duration batchTimeout,
                                            Duration batchTime, GroupProtocol protocol) {
        return new ConsumerSettings(kafka, group, batchSize, batchTimeout, batchTime, Duration.ZERO, 8000, protocol,
                kafka.topic() + ".dlq", ConsumerSettings.SinkType.SIMULATED, null);
    }
}
