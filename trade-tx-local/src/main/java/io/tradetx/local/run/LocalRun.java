package io.tradetx.local.run;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Termination;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.sink.TradeSink;
import io.tradetx.local.view.LiveConsole;
import io.tradetx.local.view.LiveView;
import io.tradetx.local.view.ScalingDisplay;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import io.tradetx.testkit.LocalKafkaBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
    /** The main loop's longest sleep between ticks. */
    private static final long TICK_MILLIS = 100;

    /**
     * What the run needs besides the consumer settings from the environment.
     *
     * @param liveView show the live status view on the terminal, with the log lines in a file
     */
    public record Options(int rate, int partitions, Duration duration, String bootstrapServers, int metricsPort,
                          Duration startDelay, InputStream input, Function<String, TradeSink> sinks,
                          boolean liveView) {

        public Options(int rate, int partitions, Duration duration, String bootstrapServers, int metricsPort,
                       Duration startDelay, InputStream input, Function<String, TradeSink> sinks) {
            this(rate, partitions, duration, bootstrapServers, metricsPort, startDelay, input, sinks, false);
        }

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

        /** When this scaling next has work due (the run's clock): the loop then ticks on time, not up to 100 ms late. */
        default long nextDueMillis() {
            return Long.MAX_VALUE;
        }

        default void stop() {
        }

        /** What the live view shows of this scaling at {@code elapsedMillis}, with at most {@code maxEvents} events. */
        ScalingDisplay display(long elapsedMillis, int maxEvents);
    }

    /** The live parts of a run, for a Scaling to drive. */
    public record RunContext(KafkaSettings kafka, ConsumerSettings consumer, TradeProducer producer, ConsumerPool pool,
                             GroupLagReader lag, PrometheusMeterRegistry registry) {
    }

    private final CountDownLatch stop = new CountDownLatch(1);

    public int run(Options options, ConsumerSettings base, Scaling scaling) throws Exception {
        // Ctrl-C or SIGTERM: the same clean stop as the end of --duration, then exit 0.
        Termination.onSignal(stop::countDown);
        LiveConsole live = options.liveView() ? LiveConsole.start() : null;
        LocalKafkaBroker broker = null;
        try {
            String bootstrap = options.bootstrapServers();
            if (bootstrap == null) {
                LOG.info("Starting a local Kafka broker (KRaft, single node)...");
                if (live != null) {
                    live.say("Starting a local Kafka broker (KRaft, single node)...");
                }
                broker = live == null ? LocalKafkaBroker.start()
                        : LocalKafkaBroker.start(live.workDir().resolve("kafka"), true, 0, Map.of());
                bootstrap = broker.bootstrapServers();
            }
            KafkaSettings kafka = new KafkaSettings(bootstrap, base.kafka().topic(), base.kafka().auth(),
                    base.kafka().awsRegion(), options.partitions(), base.kafka().topicReplicationFactor(),
                    base.kafka().clientOverrides());
            ConsumerSettings consumerSettings = base.withKafka(kafka);
            LOG.info("Settings: {}", consumerSettings.describe());
            LOG.info("Batch size: {}, Batch timeout: {}s", consumerSettings.batchSize(),
                    consumerSettings.batchTimeout().toMillis() / 1000.0);
            runWith(options, kafka, consumerSettings, scaling, live);
            return 0;
        } finally {
            stopBroker(broker, live);
        }
    }

    /**
     * The end of a run that started its own broker: the broker stops, then the live view gives the terminal back,
     * even when the broker fails to stop. Either may be null (an external broker, no live view).
     */
    public static void stopBroker(LocalKafkaBroker broker, LiveConsole live) throws IOException, InterruptedException {
        try {
            if (broker != null) {
                broker.close();
                LOG.info("Kafka broker stopped");
            }
        } finally {
            if (live != null) {
                live.close();
            }
        }
    }

    private void runWith(Options options, KafkaSettings kafka, ConsumerSettings consumerSettings, Scaling scaling,
                         LiveConsole live) throws Exception {
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
                    return Sinks.fromSettings(consumerSettings);
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
                long startNanos = System.nanoTime();
                LiveView view = live == null ? null : live.show(context, scaling);
                if (options.input() != null) {
                    RateInput.start(options.input(), typing(producer, view, startNanos));
                    LOG.info("Type a rate (msg/s) and Enter to change the load; q or Ctrl-C to stop");
                }
                long deadline = options.duration() == null ? Long.MAX_VALUE
                        : startNanos + options.duration().toNanos();
                long wait = TICK_MILLIS;
                while (!stop.await(wait, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                    long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    if (!scaling.tick(elapsed)) {
                        break;
                    }
                    if (view != null) {
                        view.tick(elapsed);
                    }
                    long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    wait = Math.max(1, Math.min(TICK_MILLIS, scaling.nextDueMillis() - now));
                }
                LOG.info("Stopping: producer first, then consumers finish their batches and commit");
                if (live != null) {
                    live.hide();
                    live.say("Stopping: producer first, then consumers finish their batches and commit...");
                }
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

            @Override
            public ScalingDisplay display(long elapsedMillis, int maxEvents) {
                return new ScalingDisplay(consumers + " consumers, fixed (--consumers): no autoscaling", List.of(),
                        List.of(), null);
            }
        };
    }

    /** What a typed line does: a rate changes the producer's, q stops the run; the live view shows either. */
    private RateInput.Listener typing(TradeProducer producer, LiveView view, long startNanos) {
        return new RateInput.Listener() {
            @Override
            public void rate(int rate) {
                producer.setRate(rate);
                if (view != null) {
                    long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
                    view.entered(LiveView.rateSet(rate, now));
                }
            }

            @Override
            public void quit() {
                stop.countDown();
            }

            @Override
            public void invalid(String line) {
                RateInput.Listener.super.invalid(line);
                if (view != null) {
                    view.entered("'" + line + "' is not a rate: type 0 to " + RateInput.MAX_RATE
                            + " msg/s and Enter, or q");
                }
            }

            @Override
            public void entered(String line) {
                if (view != null && line.isBlank()) {
                    view.entered(null);
                }
            }
        };
    }
}
