package io.tradetx.producer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Hostname;
import io.tradetx.common.lifecycle.Termination;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The producer process: settings, topic, metrics endpoint, the send loop, and a clean SIGTERM. */
public final class ProducerMain {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerMain.class);

    private ProducerMain() {
    }

    public static void main(String[] args) throws Exception {
        ProducerSettings settings = Startup.settingsOrExit(() -> ProducerSettings.fromEnv(Env.system()));
        LOG.info("Creating producer with bootstrap_servers: {}", settings.kafka().bootstrapServers());
        LOG.info("Settings: {}", settings.describe());
        String clientId = "trade-tx-producer-" + Hostname.get();
        try (Admin admin = Admin.create(KafkaClientProperties.admin(settings.kafka(), clientId + "-admin"))) {
            TopicProvisioner.ensureTopic(admin, settings.kafka().topic(), settings.kafka().topicPartitions(),
                    settings.kafka().topicReplicationFactor(), Map.of());
        }
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        TradeProducer producer = new TradeProducer(settings.kafka(), clientId, settings.messagesPerSecond(),
                TradeGenerator.random(), registry);
        Thread loop = new Thread(producer, "producer-loop");
        try (AppHttpServer http = AppHttpServer.start(settings.metricsPort(), registry, () -> true);
             RateFileWatcher watcher = settings.rateFile() == null ? null
                     : new RateFileWatcher(settings.rateFile(), producer::setRate)) {
            LOG.info("Metrics available at :{}/metrics", http.port());
            Termination.onSignal(() -> {
                LOG.info("Shutdown requested: flushing and closing the producer");
                producer.close();
            });
            loop.start();
            loop.join();
        }
        System.exit(producer.fatalError() != null ? 1 : 0);
    }
}
