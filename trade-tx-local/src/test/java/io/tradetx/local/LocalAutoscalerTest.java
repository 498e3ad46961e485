package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.testing.RecordingSink;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.local.run.LocalRun;
import io.tradetx.local.scale.LocalAutoscaler;
import io.tradetx.local.scale.ScaledObjectFile;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The local autoscaler end to end on the real broker, driven by k8s/scaledobject.yaml at speedup 30:
 * a backlog scales the group out to the replica count the model predicts, the group drains it, and
 * KEDA scales to zero after the cooldown; every message is processed exactly once.
 */
@ExtendWith(SharedBroker.class)
class LocalAutoscalerTest {
    private static final int BACKLOG = 30_000;
    private static final int LAG_THRESHOLD = 5_000;

    @Test
    void backlogScalesOutToThePredictedReplicasDrainsAndScalesToZero() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("autoscale"), 12);
        String group = TestKafka.unique("g");
        TestTrades.produce(kafka, BACKLOG);
        Path root = Path.of("..").toAbsolutePath().normalize();
        ScaledObjectSpec spec = ScaledObjectFile.load(root.resolve(ScaledObjectFile.DEFAULT_PATH), root,
                Map.of("LAG_THRESHOLD", String.valueOf(LAG_THRESHOLD), "MAX_REPLICAS", "24",
                        "ACTIVATION_LAG_THRESHOLD", "0", "CONSUMER_GROUP", group, "KAFKA_TOPIC", kafka.topic()))
                .withSpeedup(30);
        // 200 msg/s per pod: the backlog is far from drained while the HPA scales out (a few seconds).
        ConsumerSettings settings = TestConsumers.settings(kafka, group, 100, Duration.ofMillis(100),
                Duration.ofMillis(500), GroupProtocol.CLASSIC);
        RecordingSink sink = new RecordingSink(settings.batchProcessingTime());
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        LocalAutoscaler autoscaler = new LocalAutoscaler(spec, (now, ctx, status) ->
                System.nanoTime() < deadline && !(now > 1000 && ctx.pool().replicas() == 0));
        LocalRun.Options options = new LocalRun.Options(0, 12, null, kafka.bootstrapServers(), -1, Duration.ZERO,
                null, sink::forConsumer);

        assertThat(new LocalRun().run(options, settings, autoscaler)).isZero();

        List<ScalingEvent> events = autoscaler.events();
        int predicted = (int) Math.ceil((double) BACKLOG / LAG_THRESHOLD);
        assertThat(autoscaler.peakReplicas()).as("peak replicas, events: " + events).isEqualTo(predicted);
        assertThat(events).extracting(ScalingEvent::type)
                .startsWith(ScalingEvent.Type.ACTIVATED, ScalingEvent.Type.KEDA_SCALED_UP)
                .contains(ScalingEvent.Type.HPA_SCALED, ScalingEvent.Type.DEACTIVATED)
                .endsWith(ScalingEvent.Type.KEDA_SCALED_TO_ZERO);
        assertThat(sink.count()).isEqualTo(BACKLOG);
        assertThat(TestTrades.duplicates(sink.trades())).isEmpty();
        try (Admin admin = TestKafka.admin(kafka)) {
            assertThat(GroupLagReader.totalLag(new GroupLagReader(admin, kafka.topic(), group).read())).isZero();
        }
    }
}
