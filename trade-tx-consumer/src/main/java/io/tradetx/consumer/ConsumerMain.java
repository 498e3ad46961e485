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
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.sink.TradeSink;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer process: settings, then the HTTP endpoint (/healthz 200 at once, /ready 503 until the
 * group is joined), then the dead-letter topic, the loop, and a SIGTERM that ends within
 * SHUTDOWN_GRACE_PERIOD_SECONDS.
 */
public final class ConsumerMain {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerMain.class);
    private static final Duration KAFKA_RETRY = Duration.ofSeconds(5);

    private ConsumerMain() {
    }

    /** Builds the sink a process writes to. */
    @FunctionalInterface
    public interface SinkFactory {
        TradeSink create(ConsumerSettings settings) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        ConsumerSettings settings = Startup.settingsOrExit(() -> ConsumerSettings.fromEnv(Env.system()));
        System.exit(run(settings, Sinks::fromSettings));
    }

    /** Runs the consumer process until SIGTERM or a fatal error; returns the exit code. */
    public static int run(ConsumerSettings settings, SinkFactory sinks) throws Exception {
        LOG.info("Settings: {}", settings.describe());
        LOG.info("Batch size: {}, Batch timeout: {}s", settings.batchSize(),
                settings.batchTimeout().toMillis() / 1000.0);
        String clientId = "trade-tx-consumer-" + Hostname.get();
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        Lifecycle life = new Lifecycle(settings.shutdownBudget());
        // The endpoint first: the startup probe (/healthz) must pass while Kafka is still being reached.
        try (AppHttpServer http = AppHttpServer.start(settings.metricsPort(), registry, life::isReady)) {
            LOG.info("Metrics available at :{}/metrics", http.port());
            Termination.onSignal(life::requestStop);
            ensureDeadLetterTopic(settings, clientId);
            MicrobatchConsumer consumer = MicrobatchConsumer.create(settings, clientId, sinks.create(settings),
                    registry, Tags.empty());
            Thread loop = new Thread(consumer, "consumer-loop");
            life.started(consumer);
            // Any other way out of the JVM (System.exit, SIGHUP) also stops the loop and waits for it.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                consumer.close();
                life.awaitWithinBudget(loop);
            }, "consumer-shutdown"));
            loop.start();
            boolean inTime = life.awaitWithinBudget(loop);
            if (!inTime) {
                LOG.error("Shutdown did not finish within SHUTDOWN_GRACE_PERIOD_SECONDS={}; exiting anyway (nothing "
                        + "unstored was committed)", settings.shutdownBudget().gracePeriod().toSeconds());
            }
            return consumer.hasFailed() || !inTime ? 1 : 0;
        }
    }

    /** Who is running, and when a stop was asked for; the readiness the endpoint reports. */
    private static final class Lifecycle {
        private final ShutdownBudget budget;
        private MicrobatchConsumer consumer;
        private volatile long stopRequestedAt;

        Lifecycle(ShutdownBudget budget) {
            this.budget = budget;
        }

        synchronized void requestStop() {
            if (stopRequestedAt == 0) {
                stopRequestedAt = System.nanoTime();
            }
            if (consumer == null) {
                // Nothing fetched, nothing to drain or commit: do not wait for a Kafka call to time out.
                LOG.info("Shutdown requested before the consumer started; exiting");
                System.exit(0);
            }
            LOG.info("Shutdown requested: finishing the current batch, committing, leaving the group");
            consumer.close();
        }

        synchronized void started(MicrobatchConsumer c) {
            consumer = c;
        }

        boolean isReady() {
            MicrobatchConsumer c;
            synchronized (this) {
                c = consumer;
            }
            return c != null && c.isReady();
        }

        /** Joins the loop; once a stop is requested, only until the budget's exit deadline. */
        boolean awaitWithinBudget(Thread loop) {
            try {
                while (loop.isAlive()) {
                    long stopAt = stopRequestedAt;
                    if (stopAt == 0) {
                        loop.join(1000);
                        continue;
                    }
                    long left = budget.from(stopAt).exitBy() - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    TimeUnit.NANOSECONDS.timedJoin(loop, left);
                }
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * The dead-letter topic must exist before the first bad message, and auto-create is off on MSK.
     * While Kafka is unreachable at start this logs and retries rather than exiting into a crash loop
     * (SIGTERM meanwhile exits at once); other errors (authentication, authorization) stop the process.
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
                LOG.warn("Kafka unreachable at {} (attempt {}): {}; retrying in {} s",
                        settings.kafka().bootstrapServers(), attempt, e.getCause().getMessage(), KAFKA_RETRY.toSeconds());
                Thread.sleep(KAFKA_RETRY.toMillis());
            }
        }
    }
}
