package io.tradetx.local.chaos;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Hostname;
import io.tradetx.common.lifecycle.Termination;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.MicrobatchConsumer;
import io.tradetx.consumer.sink.TradeSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A consumer process of a chaos run: ConsumerMain's start-up, with the sink ConsumerMain would build
 * wrapped in a {@link FaultInjectingSink} driven by the file named by CHAOS_CONTROL_FILE.
 */
public final class ChaosConsumerMain {
    private ChaosConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        ConsumerSettings settings = Startup.settingsOrExit(() -> ConsumerSettings.fromEnv(Env.system()));
        Path control = Path.of(System.getenv(FaultControl.ENV));
        TradeSink sink = new FaultInjectingSink(ConsumerMain.sink(settings), control);
        String clientId = "trade-tx-consumer-" + Hostname.get();
        TopicProvisioner.ensureTopicOnceReachable(settings.kafka(), clientId + "-admin", Duration.ofSeconds(30),
                settings.deadLetterTopic(), 1, Map.of(), () -> false);
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        MicrobatchConsumer consumer = MicrobatchConsumer.create(settings, clientId, sink, registry, Tags.empty());
        Thread loop = new Thread(consumer, "consumer-loop");
        try (AppHttpServer http = AppHttpServer.start(settings.metricsPort(), registry, consumer::isReady)) {
            Termination.onSignal(consumer::close);
            loop.start();
            loop.join();
        }
        System.exit(consumer.hasFailed() ? 1 : 0);
    }
}
