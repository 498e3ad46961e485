package io.tradetx.consumer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * The consumer's own metrics: under the seed's names processed messages by status, batch duration and
 * message age histograms, the processing rate, rebalances and sink failures; and trade_tx_consumer_*
 * for dead-letter and poll failures and the stall gauges.
 */
public final class ConsumerMetrics {
    private static final double[] AGE_BUCKETS_SECONDS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800};
    private static final Duration[] BATCH_BUCKETS = {
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000),
        Duration.ofMillis(1500), Duration.ofMillis(2000), Duration.ofMillis(5000), Duration.ofMillis(10000),
        Duration.ofMillis(30000)};
    private static final long RATE_WINDOW_NANOS = Duration.ofSeconds(5).toNanos();

    final Counter success;
    final Counter error;
    final Counter deadLetter;
    final Counter rebalances;
    final Counter sinkFailures;
    final Counter deadLetterFailures;
    final Counter pollErrors;
    final Timer batchDuration;
    final DistributionSummary messageAge;
    private final DoubleAdder windowCount = new DoubleAdder();
    private final AtomicLong windowStart = new AtomicLong(System.nanoTime());
    private volatile double ratePerSecond;

    public ConsumerMetrics(MeterRegistry registry, Tags tags) {
        String processed = "kafka.messages.processed";
        String help = "Messages processed by the consumer, by status (success, error = failed sink attempt, dead_letter)";
        success = Counter.builder(processed).tags(tags).tag("status", "success").description(help).register(registry);
        error = Counter.builder(processed).tags(tags).tag("status", "error").description(help).register(registry);
        deadLetter = Counter.builder(processed).tags(tags).tag("status", "dead_letter").description(help)
                .register(registry);
        rebalances = Counter.builder("kafka.consumer.rebalances").tags(tags)
                .description("Partition assignments received by this consumer").register(registry);
        sinkFailures = Counter.builder("kafka.consumer.sink.failures").tags(tags)
                .description("Failed sink writes (each is retried)").register(registry);
        deadLetterFailures = Counter.builder("trade_tx.consumer.dead_letter.failures").tags(tags)
                .description("Failed dead-letter publish attempts (each is retried)").register(registry);
        pollErrors = Counter.builder("trade_tx.consumer.poll.errors").tags(tags)
                .description("poll() calls that failed and were retried after a back-off").register(registry);
        batchDuration = Timer.builder("kafka.batch.processing").tags(tags)
                .description("Time to process one microbatch, decode to sink write")
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry);
        messageAge = DistributionSummary.builder("kafka.message.age").tags(tags).baseUnit("seconds")
                .description("Time a message spent in Kafka before processing (now - record timestamp)")
                .serviceLevelObjectives(AGE_BUCKETS_SECONDS).register(registry);
        Gauge.builder("kafka.messages.per.second", this, m -> m.ratePerSecond).tags(tags)
                .description("Messages processed per second over the last 5 s").register(registry);
    }

    /**
     * The stall gauges: seconds the consumer has gone without progress while work waits, and 1 once
     * that reaches SINK_STALL_SECONDS (then /ready answers 503 too).
     */
    void bindStall(MeterRegistry registry, Tags tags, StallWatch watch) {
        Gauge.builder("trade_tx.consumer.stalled", watch, w -> w.isStalled(System.nanoTime()) ? 1 : 0).tags(tags)
                .description("1 while the consumer has made no progress for SINK_STALL_SECONDS with work waiting")
                .register(registry);
        Gauge.builder("trade_tx.consumer.stalled.seconds", watch, w -> w.stalledNanos(System.nanoTime()) / 1e9)
                .tags(tags).description("Seconds without progress while work waits (sink or dead-letter retries, "
                        + "poll errors, failing commits); 0 when idle or moving").register(registry);
    }

    void processed(int n) {
        success.increment(n);
        windowCount.add(n);
        tickRate();
    }

    /** Refreshes the per-second rate once per window; called from the consumer loop. */
    void tickRate() {
        long now = System.nanoTime();
        long start = windowStart.get();
        if (now - start >= RATE_WINDOW_NANOS && windowStart.compareAndSet(start, now)) {
            ratePerSecond = windowCount.sumThenReset() / ((now - start) / 1e9);
        }
    }

    public double ratePerSecond() {
        return ratePerSecond;
    }

    public double successCount() {
        return success.count();
    }
}
