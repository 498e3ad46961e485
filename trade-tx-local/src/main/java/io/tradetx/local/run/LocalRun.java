package io.tradetx.local.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Termination;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.broker.LocalKafkaBroker;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import io.tradetx.consumer.sink.TradeSink;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./trade-tx local}: a real broker, the producer and consumer instances in this process, the
 * metrics endpoint, a rate typed on the terminal, and a clean stop after the duration or on Ctrl-C.
 */
public final class LocalRun {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRun.class);
    private static final long STATUS_INTERVAL_MS = 5000;

    /** What the run needs besides the consumer settings from the environment. */
    public record Options(int rate, int partitions, Duration duration, String bootstrapServers, int metricsPort,
                          Duration startDelay, InputStream input, Function<String, TradeSink> sinks) {

        public Options(int rate, int partitions, Duration duration, String bootstrapServers, int metricsPort,
                       Duration startDelay, InputStream input) {
            this(rate, partitions, duration, bootstrapServers, metricsPort, startDelay, input, null);
        }
    }

    /** Decides how many consumers run; fixed, or driven by the ScaledObject model. */
    public interface Scaling {
        /** Called once with everything running; returns when the run should continue by itself. */
        void start(RunContext context) throws Exception;

        /** Called about every 100 ms on the run's main thread. Returns false to end the run. */
        boolean tick(long elapsedMillis) throws Exception;

        default void stop() {
        }
    }

    /** The live parts of a run, for a Scaling to drive. */
    public record RunContext(KafkaSettings kafka, ConsumerSettings consumer, TradeProducer producer, ConsumerPool pool,
                             GroupLagReader lag, PrometheusMeterRegistry registry) {
    }

    private final CountDownLatch stop = new CountDownLatch(1);

    public int run(Options options, ConsumerSettings base, Scaling scaling) throws Exception {
        // Ctrl-C or SIGTERM: the same clean stop as the end of --duration, then exit 0.
        Termination.onSignal(stop::countDown);
        LocalKafkaBroker broker = null;
        try {
            String bootstrap = options.bootstrapServers();
            if (bootstrap == null) {
                LOG.info("Starting a local Kafka broker (KRaft, single node)...");
                broker = LocalKafkaBroker.start();
                bootstrap = broker.bootstrapServers();
            }
            KafkaSettings kafka = new KafkaSettings(bootstrap, base.kafka().topic(), base.kafka().auth(),
                    base.kafka().awsRegion(), options.partitions(), base.kafka().topicReplicationFactor(),
                    base.kafka().clientOverrides());
            ConsumerSettings consumerSettings = base.withKafka(kafka);
            LOG.info("Settings: {}", consumerSettings.describe());
            LOG.info("Batch size: {}, Batch timeout: {}s", consumerSettings.batchSize(),
                    consumerSettings.batchTimeout().toMillis() / 1000.0);
            runWith(options, kafka, consumerSettings, scaling);
            return 0;
        } finally {
            if (broker != null) {
                broker.close();
                LOG.info("Kafka broker stopped");
            }
        }
    }

    private void runWith(Options options, KafkaSettings kafka, ConsumerSettings consumerSettings, Scaling scaling)
            throws Exception {
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        try (Admin admin = Admin.create(KafkaClientProperties.admin(kafka, "trade-tx-local-admin"))) {
            TopicProvisioner.ensureTopic(admin, kafka.topic(), kafka.topicPartitions(), kafka.topicReplicationFactor(),
                    Map.of());
            TopicProvisioner.ensureTopic(admin, consumerSettings.deadLetterTopic(), 1,
                    kafka.topicReplicationFactor(), Map.of());
            TradeProducer producer = new TradeProducer(kafka, "trade-tx-producer-local", options.rate(),
                    TradeGenerator.random(), registry);
            Thread producerThread = new Thread(producer, "producer");
            Function<String, TradeSink> sinks = options.sinks() != null ? options.sinks() : pod -> {
                try {
                    return ConsumerMain.sink(consumerSettings);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            ConsumerPool pool = new ConsumerPool(consumerSettings, registry, sinks, options.startDelay());
            GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), consumerSettings.consumerGroup());
            AppHttpServer http = options.metricsPort() < 0 ? null
                    : AppHttpServer.start(options.metricsPort(), registry, () -> true);
            try {
                if (http != null) {
                    LOG.info("Metrics available at :{}/metrics", http.port());
                }
                producerThread.start();
                RunContext context = new RunContext(kafka, consumerSettings, producer, pool, lag, registry);
                scaling.start(context);
                if (options.input() != null) {
                    RateInput.start(options.input(), producer::setRate, stop::countDown);
                    LOG.info("Type a rate (msg/s) and Enter to change the load; q or Ctrl-C to stop");
                }
                long startNanos = System.nanoTime();
                long deadline = options.duration() == null ? Long.MAX_VALUE
                        : startNanos + options.duration().toNanos();
                while (!stop.await(100, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                    if (!scaling.tick(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos))) {
                        break;
                    }
                }
                LOG.info("Stopping: producer first, then consumers finish their batches and commit");
            } finally {
                scaling.stop();
                producer.close();
                producer.awaitClosed(Duration.ofSeconds(20));
                pool.close();
                if (http != null) {
                    http.close();
                }
            }
        }
    }

    /** A fixed number of consumers, with a status line every five seconds. */
    public static Scaling fixed(int consumers) {
        return new Scaling() {
            private RunContext ctx;
            private long nextStatus = STATUS_INTERVAL_MS;

            @Override
            public void start(RunContext context) {
                ctx = context;
                ctx.pool().scaleTo(consumers);
            }

            @Override
            public boolean tick(long elapsedMillis) throws Exception {
                if (elapsedMillis >= nextStatus) {
                    nextStatus += STATUS_INTERVAL_MS;
                    long total = GroupLagReader.totalLag(ctx.lag().read());
                    LOG.info("Status: producer target {} msg/s, consumers {}/{} ready, total lag {}",
                            ctx.producer().rate(), ctx.pool().readyReplicas(), ctx.pool().replicas(), total);
                }
                return true;
            }
        };
    }
}
