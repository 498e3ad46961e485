package io.tradetx.producer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated trades at a target rate on an absolute schedule, logs the achieved rate every five
 * seconds, and accepts a new rate at any time.
 */
public final class TradeProducer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TradeProducer.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Longest sleep, so a rate change or close is noticed within 100 ms. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Shortest sleep: at high rates each wake-up sends everything due instead of spinning. */
    private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SLOW_SEND_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final TradeGenerator generator;
    private final KafkaClientMetrics clientMetrics;
    private final Counter sentCounter;
    private final Counter errorCounter;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Callback callback;
    private volatile int targetRate;
    private volatile boolean closed;
    private volatile Thread runner;
    private long sent;

    public TradeProducer(KafkaSettings settings, String clientId, int initialRate, TradeGenerator generator,
                         MeterRegistry registry) {
        this(settings, clientId, initialRate, generator, registry, Tags.empty());
    }

    /** A producer whose meters carry {@code tags}: several producers (one per local tenant) in one registry. */
    public TradeProducer(KafkaSettings settings, String clientId, int initialRate, TradeGenerator generator,
                         MeterRegistry registry, Tags tags) {
        this(new KafkaProducer<>(KafkaClientProperties.producer(settings, clientId)), settings.topic(),
                initialRate, generator, registry, tags);
    }

    TradeProducer(Producer<String, byte[]> producer, String topic, int initialRate, TradeGenerator generator,
                  MeterRegistry registry) {
        this(producer, topic, initialRate, generator, registry, Tags.empty());
    }

    private TradeProducer(Producer<String, byte[]> producer, String topic, int initialRate, TradeGenerator generator,
                          MeterRegistry registry, Tags tags) {
        this.producer = producer;
        this.topic = topic;
        this.generator = generator;
        this.targetRate = initialRate;
        this.clientMetrics = new KafkaClientMetrics(producer);
        this.clientMetrics.bindTo(registry);
        this.sentCounter = Counter.builder("trade.tx.producer.sent").tags(tags)
                .description("Trades handed to the Kafka producer").register(registry);
        this.errorCounter = Counter.builder("trade.tx.producer.errors").tags(tags)
                .description("Trades whose send failed after retries").register(registry);
        Gauge.builder("trade.tx.producer.target.rate", this, p -> p.targetRate).tags(tags)
                .description("Target send rate in messages per second").register(registry);
        this.callback = this::onCompletion;
    }

    /** Changes the target rate; takes effect within 100 ms, re-anchoring the schedule. */
    public void setRate(int messagesPerSecond) {
        if (messagesPerSecond < 0) {
            throw new IllegalArgumentException("rate must be >= 0");
        }
        if (messagesPerSecond != targetRate) {
            LOG.info("Target rate changed: {} -> {} msg/s", targetRate, messagesPerSecond);
            targetRate = messagesPerSecond;
            Thread t = runner;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    public int rate() {
        return targetRate;
    }

    /** Messages acknowledged by the broker so far. */
    public long acknowledged() {
        return acked.get();
    }

    public long failedSends() {
        return failed.get();
    }

    /** The error that stopped the producer, if any. */
    public Throwable fatalError() {
        return fatal.get();
    }

    @Override
    public void run() {
        runner = Thread.currentThread();
        try {
            LOG.info("Starting continuous producer: {} messages/second", targetRate);
            if (targetRate > 0) {
                LOG.info("Target interval: {} seconds", String.format(Locale.ROOT, "%.6f", 1.0 / targetRate));
            }
            long start = System.nanoTime();
            RateSchedule schedule = new RateSchedule(start, targetRate);
            long nextLog = start + LOG_INTERVAL_NANOS;
            long sentAtLastLog = 0;
            long lastLog = start;
            while (!closed && fatal.get() == null) {
                long now = System.nanoTime();
                int rate = targetRate;
                if (rate != schedule.rate()) {
                    schedule.reset(now, sent, rate);
                }
                long due = schedule.dueBy(now) - sent;
                for (long i = 0; i < due && !closed && fatal.get() == null; i++) {
                    sendOne();
                }
                now = System.nanoTime();
                if (now >= nextLog) {
                    double elapsed = (now - lastLog) / 1e9;
                    long n = sent - sentAtLastLog;
                    LOG.info("Sent: {} messages, Rate: {} msg/s, Target: {} msg/s", n,
                            String.format(Locale.ROOT, "%.1f", n / elapsed), rate);
                    sentAtLastLog = sent;
                    lastLog = now;
                    nextLog += LOG_INTERVAL_NANOS * Math.max(1, (now - nextLog) / LOG_INTERVAL_NANOS + 1);
                }
                long wake = rate > 0 ? schedule.dueAt(sent + 1) : now + MAX_SLEEP_NANOS;
                long sleep = Math.min(Math.max(wake - now, MIN_SLEEP_NANOS), MAX_SLEEP_NANOS);
                sleep = Math.min(sleep, Math.max(nextLog - now, MIN_SLEEP_NANOS));
                LockSupport.parkNanos(sleep);
            }
            if (fatal.get() != null) {
                LOG.error("Producer stopped by a fatal error: {}", fatal.get().toString());
            }
        } finally {
            // Flush what was accepted so SIGTERM loses nothing, then release the client.
            try {
                producer.flush();
            } catch (RuntimeException e) {
                LOG.warn("Flush at shutdown failed: {}", e.toString());
            }
            clientMetrics.close();
            producer.close(Duration.ofSeconds(10));
            LOG.info("Producer closed after {} messages ({} acknowledged, {} failed)", sent, acked.get(),
                    failed.get());
            finished.countDown();
        }
    }

    private void sendOne() {
        Trade trade = generator.next(Instant.now());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, trade.accountId(), TradeJson.encode(trade));
        while (!closed) {
            long before = System.nanoTime();
            try {
                producer.send(record, callback);
                long took = System.nanoTime() - before;
                if (took > SLOW_SEND_NANOS) {
                    LOG.warn("Send blocked for {} ms: producer buffer full or broker unreachable",
                            TimeUnit.NANOSECONDS.toMillis(took));
                }
                sent++;
                sentCounter.increment();
                return;
            } catch (TimeoutException e) {
                // Buffer stayed full for max.block.ms: keep this trade and try again rather than drop it.
                LOG.warn("Producer buffer full for {} ms, broker unreachable? retrying: {}",
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before), e.getMessage());
            } catch (RuntimeException e) {
                if (isFatal(e)) {
                    fatal.compareAndSet(null, e);
                    return;
                }
                throw e;
            }
        }
    }

    private void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            acked.incrementAndGet();
            return;
        }
        long n = failed.incrementAndGet();
        errorCounter.increment();
        if (isFatal(exception)) {
            fatal.compareAndSet(null, exception);
        }
        if (n == 1 || n % 1000 == 0) {
            LOG.error("Send failed ({} failures so far): {}", n, exception.toString());
        }
    }

    static boolean isFatal(Throwable e) {
        return e instanceof AuthenticationException || e instanceof AuthorizationException
                || e instanceof UnsupportedVersionException || e instanceof ProducerFencedException
                || e instanceof OutOfOrderSequenceException || e instanceof InvalidTopicException;
    }

    /** Asks the loop to stop; it flushes and closes the client. */
    public void close() {
        closed = true;
        Thread t = runner;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** Waits for the loop to finish flushing and closing. */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
