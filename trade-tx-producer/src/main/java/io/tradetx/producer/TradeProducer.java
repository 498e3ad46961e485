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
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends generated trades at a target rate on an absolute schedule, logs the acknowledged rate every
 * five seconds, and accepts a new rate at any time. A send is counted as sent only when the broker
 * acknowledges it; a failed one is retried (a few times if it never left the process, by the Kafka
 * client up to delivery.timeout.ms otherwise) and then counted as failed, never as sent.
 */
public final class TradeProducer implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(TradeProducer.class);
    static final long LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Longest sleep, so a rate change or close is noticed within 100 ms. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    /** Shortest sleep: at high rates each wake-up sends everything due instead of spinning. */
    private static final long MIN_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Attempts for a trade that send() could not even buffer (buffer full, no metadata for max.block.ms). */
    static final int SEND_ATTEMPTS = 3;
    /** The default shutdown budget: the producer Deployment's 30 s grace period less 2 s. */
    public static final Duration DEFAULT_SHUTDOWN_BUDGET = Duration.ofSeconds(28);

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final TradeGenerator generator;
    private final Duration shutdownBudget;
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
    private volatile long closeRequestedNanos;
    private volatile Thread runner;
    /** Set while the loop thread is inside send(): a callback it runs then reports a send that failed at once. */
    private boolean inSend;
    private Exception immediateFailure;
    private long attempted;

    public TradeProducer(KafkaSettings settings, String clientId, int initialRate, TradeGenerator generator,
                         MeterRegistry registry) {
        this(settings, clientId, initialRate, generator, registry, DEFAULT_SHUTDOWN_BUDGET, Tags.empty());
    }

    /**
     * @param shutdownBudget from close() to the client closed: send() blocks at most a third of it, the
     *        final flush gets what is left
     */
    public TradeProducer(KafkaSettings settings, String clientId, int initialRate, TradeGenerator generator,
                         MeterRegistry registry, Duration shutdownBudget) {
        this(settings, clientId, initialRate, generator, registry, shutdownBudget, Tags.empty());
    }

    /** A producer whose meters carry {@code tags}: several producers (one per local tenant) in one registry. */
    public TradeProducer(KafkaSettings settings, String clientId, int initialRate, TradeGenerator generator,
                         MeterRegistry registry, Tags tags) {
        this(settings, clientId, initialRate, generator, registry, DEFAULT_SHUTDOWN_BUDGET, tags);
    }

    private TradeProducer(KafkaSettings settings, String clientId, int initialRate, TradeGenerator generator,
                          MeterRegistry registry, Duration shutdownBudget, Tags tags) {
        this(new KafkaProducer<>(KafkaClientProperties.producer(settings, clientId, shutdownBudget.dividedBy(3))),
                settings.topic(), initialRate, generator, registry, shutdownBudget, tags);
    }

    TradeProducer(Producer<String, byte[]> producer, String topic, int initialRate, TradeGenerator generator,
                  MeterRegistry registry, Duration shutdownBudget) {
        this(producer, topic, initialRate, generator, registry, shutdownBudget, Tags.empty());
    }

    private TradeProducer(Producer<String, byte[]> producer, String topic, int initialRate, TradeGenerator generator,
                          MeterRegistry registry, Duration shutdownBudget, Tags tags) {
        this.producer = producer;
        this.topic = topic;
        this.generator = generator;
        this.shutdownBudget = shutdownBudget;
        this.targetRate = initialRate;
        this.clientMetrics = new KafkaClientMetrics(producer);
        this.clientMetrics.bindTo(registry);
        this.sentCounter = Counter.builder("trade.tx.producer.sent").tags(tags)
                .description("Trades acknowledged by the broker").register(registry);
        this.errorCounter = Counter.builder("trade.tx.producer.errors").tags(tags)
                .description("Trades whose send failed after retries (never counted as sent)").register(registry);
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

    /** Messages given up (after retries) so far. */
    public long failedSends() {
        return failed.get();
    }

    /** The error that stopped the producer, if any. */
    public Throwable fatalError() {
        return fatal.get();
    }

    /** True while the send loop runs (started, not closed, no fatal error). */
    public boolean isRunning() {
        return runner != null && finished.getCount() > 0 && !closed && fatal.get() == null;
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
            long ackedAtLastLog = 0;
            long failedAtLastLog = 0;
            long lastLog = start;
            while (!closed && fatal.get() == null) {
                long now = System.nanoTime();
                int rate = targetRate;
                if (rate != schedule.rate()) {
                    schedule.reset(now, attempted, rate);
                }
                long skipped = schedule.skipBacklog(now, attempted);
                if (skipped > 0) {
                    LOG.warn("Behind schedule by {} messages (sending was blocked): the schedule starts again now "
                            + "instead of sending them back to back", skipped);
                }
                long due = schedule.dueBy(now) - attempted;
                for (long i = 0; i < due && !closed && fatal.get() == null; i++) {
                    sendOne();
                }
                now = System.nanoTime();
                if (now >= nextLog) {
                    double elapsed = (now - lastLog) / 1e9;
                    long n = acked.get() - ackedAtLastLog;
                    long lost = failed.get() - failedAtLastLog;
                    LOG.info("Sent: {} messages, Rate: {} msg/s, Target: {} msg/s{}", n,
                            String.format(Locale.ROOT, "%.1f", n / elapsed), rate,
                            lost == 0 ? "" : ", Failed: " + lost + " messages");
                    ackedAtLastLog += n;
                    failedAtLastLog += lost;
                    lastLog = now;
                    nextLog += LOG_INTERVAL_NANOS * Math.max(1, (now - nextLog) / LOG_INTERVAL_NANOS + 1);
                }
                long wake = rate > 0 ? schedule.dueAt(attempted + 1) : now + MAX_SLEEP_NANOS;
                long sleep = Math.min(Math.max(wake - now, MIN_SLEEP_NANOS), MAX_SLEEP_NANOS);
                sleep = Math.min(sleep, Math.max(nextLog - now, MIN_SLEEP_NANOS));
                LockSupport.parkNanos(sleep);
            }
            if (fatal.get() != null) {
                LOG.error("Producer stopped by a fatal error: {}", fatal.get().toString());
            }
        } finally {
            // close() waits for the trades in flight until the budget's deadline, then fails the rest
            // (their callbacks count them as failed): a bounded flush, so SIGTERM loses nothing it can keep.
            long deadline = (closed ? closeRequestedNanos : System.nanoTime()) + shutdownBudget.toNanos();
            clientMetrics.close();
            producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            LOG.info("Producer closed after {} messages ({} acknowledged, {} failed)", attempted, acked.get(),
                    failed.get());
            finished.countDown();
        }
    }

    /** Hands one new trade to the client; one that cannot even be buffered is tried again, a few times. */
    private void sendOne() {
        Trade trade = generator.next(Instant.now());
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, trade.accountId(), TradeJson.encode(trade));
        attempted++;
        for (int attempt = 1; ; attempt++) {
            immediateFailure = null;
            inSend = true;
            try {
                producer.send(record, callback);
            } catch (RuntimeException e) { // serialization, or a closed client: not sendable at all
                immediateFailure = e;
            } finally {
                inSend = false;
            }
            Exception e = immediateFailure;
            if (e == null) {
                return; // buffered: its callback counts it as acknowledged or failed
            }
            if (isFatal(e) || !(e instanceof RetriableException) || attempt == SEND_ATTEMPTS || closed) {
                countFailed(e);
                return;
            }
            LOG.warn("Send failed before the trade left the producer (attempt {} of {}), retrying: {}", attempt,
                    SEND_ATTEMPTS, e.toString());
        }
    }

    private void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception != null && Thread.currentThread() == runner && inSend) {
            immediateFailure = exception; // send() failed at once (buffer full, no metadata): sendOne decides
            return;
        }
        if (exception == null) {
            acked.incrementAndGet();
            sentCounter.increment();
        } else {
            countFailed(exception);
        }
    }

    private void countFailed(Exception exception) {
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

    /** Asks the loop to stop; it then closes the client within the shutdown budget. */
    public void close() {
        if (!closed) {
            closeRequestedNanos = System.nanoTime();
            closed = true;
        }
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
