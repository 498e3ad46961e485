package io.tradetx.consumer;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Hostname;
import io.tradetx.common.lifecycle.Termination;
import io.tradetx.consumer.sink.LedgerFileSink;
import io.tradetx.consumer.sink.PostgresSink;
import io.tradetx.consumer.sink.SimulatedDbSink;
import io.tradetx.consumer.sink.TradeSink;
import java.io.IOException;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The consumer process: settings, dead-letter topic, metrics and readiness, the loop, and a clean SIGTERM. */
public final class ConsumerMain {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerMain.class);

    private ConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        ConsumerSettings settings = Startup.settingsOrExit(() -> ConsumerSettings.fromEnv(Env.system()));
        LOG.info("Settings: {}", settings.describe());
        LOG.info("Batch size: {}, Batch timeout: {}s", settings.batchSize(),
                settings.batchTimeout().toMillis() / 1000.0);
        String clientId = "trade-tx-consumer-" + Hostname.get();
        ensureDeadLetterTopic(settings, clientId);
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        MicrobatchConsumer consumer = MicrobatchConsumer.create(settings, clientId, sink(settings), registry,
                Tags.empty());
        Thread loop = new Thread(consumer, "consumer-loop");
        try (AppHttpServer http = AppHttpServer.start(settings.metricsPort(), registry, consumer::isReady)) {
            LOG.info("Metrics available at :{}/metrics", http.port());
            Termination.onSignal(() -> {
                LOG.info("Shutdown requested: finishing the current batch, committing, leaving the group");
                consumer.close();
            });
            loop.start();
            // The loop ends on SIGTERM after its drain; the deadline is enforced by Kubernetes' grace period.
            loop.join();
        }
        System.exit(consumer.hasFailed() ? 1 : 0);
    }

    /**
     * The dead-letter topic must exist before the first bad message, and auto-create is off on MSK.
     * While Kafka is unreachable at start this logs and retries rather than exiting into a crash loop;
     * other errors (authentication, authorization) still stop the process.
     */
    private static void ensureDeadLetterTopic(ConsumerSettings settings, String clientId) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try (Admin admin = Admin.create(KafkaClientProperties.admin(settings.kafka(), clientId + "-admin"))) {
                TopicProvisioner.ensureTopic(admin, settings.deadLetterTopic(), 1,
                        settings.kafka().topicReplicationFactor(), Map.of());
                if (attempt > 1) {
                    LOG.info("Kafka at {} is reachable after {} attempts", settings.kafka().bootstrapServers(), attempt);
                }
                return;
            } catch (IllegalStateException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                    throw e;
                }
                LOG.warn("Kafka unreachable at {} (attempt {}): {}; retrying in 5 s",
                        settings.kafka().bootstrapServers(), attempt, e.getCause().getMessage());
                Thread.sleep(5000);
            }
        }
    }

    /** The sink chosen by SINK: the simulated DB write, optionally recorded in a ledger file, or PostgreSQL. */
    public static TradeSink sink(ConsumerSettings settings) throws IOException {
        TradeSink simulated = new SimulatedDbSink(settings.messageProcessingTime(), settings.batchProcessingTime());
        return switch (settings.sink()) {
            case SIMULATED -> simulated;
            case LEDGER -> new LedgerFileSink(simulated, settings.ledgerFile());
            case POSTGRES -> new PostgresSink(settings.jdbc());
        };
    }
}
