package io.tradetx.producer;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Hostname;
import io.tradetx.common.lifecycle.Termination;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer process: settings, metrics and readiness first, then the topic, the send loop, and a
 * SIGTERM that ends within the grace period. /ready answers 503 until the topic is there.
 */
public final class ProducerMain {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerMain.class);

    private ProducerMain() {
    }

    public static void main(String[] args) throws Exception {
        ProducerSettings settings = Startup.settingsOrExit(() -> ProducerSettings.fromEnv(Env.system()));
        LOG.info("Creating producer with bootstrap_servers: {}", settings.kafka().bootstrapServers());
        LOG.info("Settings: {}", settings.describe());
        String clientId = "trade-tx-producer-" + Hostname.get();
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        AtomicReference<TradeProducer> running = new AtomicReference<>();
        Stop stop = new Stop(running);
        int exitCode = 0;
        // The HTTP server comes first: probes get answers (healthz 200, ready 503) while Kafka is slow.
        try (AppHttpServer http = AppHttpServer.start(settings.metricsPort(), registry,
                () -> running.get() != null && running.get().isRunning())) {
            LOG.info("Metrics available at :{}/metrics", http.port());
            Termination.onSignal(stop);
            if (TopicProvisioner.ensureTopicOnceReachable(settings.kafka(), clientId + "-admin",
                    settings.shutdownBudget().dividedBy(3), settings.kafka().topic(),
                    settings.kafka().topicPartitions(), Map.of(), stop::requested) < 0) {
                LOG.info("Stopped before the topic was ready");
            } else {
                exitCode = run(settings, clientId, registry, running, stop);
            }
        }
        System.exit(exitCode);
    }

    /** Runs the send loop until SIGTERM or a fatal error; returns the exit code. */
    private static int run(ProducerSettings settings, String clientId, PrometheusMeterRegistry registry,
                           AtomicReference<TradeProducer> running, Stop stop) throws Exception {
        TradeProducer producer = new TradeProducer(settings.kafka(), clientId, settings.messagesPerSecond(),
                TradeGenerator.random(), registry, settings.shutdownBudget());
        Thread loop = new Thread(producer, "producer-loop");
        try (RateFileWatcher watcher = settings.rateFile() == null ? null
                : new RateFileWatcher(settings.rateFile(), producer::setRate)) {
            running.set(producer);
            if (stop.requested()) {
                producer.close(); // SIGTERM arrived while the producer was being built
            }
            loop.start();
            loop.join();
        }
        return producer.fatalError() != null ? 1 : 0;
    }

    /** The SIGTERM handler: stops the topic wait, or the send loop once it runs. */
    private static final class Stop implements Runnable {
        private final AtomicReference<TradeProducer> running;
        private volatile boolean requested;

        Stop(AtomicReference<TradeProducer> running) {
            this.running = running;
        }

        @Override
        public void run() {
            LOG.info("Shutdown requested: closing the producer within the grace period");
            requested = true;
            TradeProducer p = running.get();
            if (p != null) {
                p.close();
            }
        }

        boolean requested() {
            return requested;
        }
    }
}
