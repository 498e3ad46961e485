package io.tradetx.lab.bench;

import io.micrometer.core.instrument.Tags;
import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.http.Metrics;
import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.MicrobatchConsumer;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The consumer of the throughput benchmark, in its own JVM: the real MicrobatchConsumer with the
 * configured sink (settings from the environment as in a pod), timed from the start of its loop
 * (subscribe) until the given number of records has been stored, as ConsumerPerformance times itself.
 * Prints {@code BENCH messages=N elapsed_ms=T}.
 */
public final class BenchConsumerMain {
    private BenchConsumerMain() {
    }

    public static void main(String[] args) throws Exception {
        long target = Long.parseLong(args[0]);
        ConsumerSettings settings = Startup.settingsOrExit(() -> ConsumerSettings.fromEnv(Env.system()));
        TradeSink inner = Sinks.fromSettings(settings);
        AtomicLong stored = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        TradeSink counting = new TradeSink() {
            @Override
            public void write(List<ConsumedTrade> batch) throws Exception {
                inner.write(batch);
                if (stored.addAndGet(batch.size()) >= target) {
                    done.countDown();
                }
            }
        };
        MicrobatchConsumer consumer = MicrobatchConsumer.create(settings, "bench-consumer", counting,
                Metrics.newRegistryWithJvmMetrics(), Tags.empty());
        Thread loop = new Thread(consumer, "consumer-loop");
        long start = System.nanoTime();
        loop.start();
        boolean finished = done.await(10, TimeUnit.MINUTES);
        long elapsedNanos = System.nanoTime() - start;
        System.out.println("BENCH messages=" + stored.get() + " elapsed_ms="
                + TimeUnit.NANOSECONDS.toMillis(elapsedNanos) + " finished=" + (finished ? 1 : 0));
        consumer.close();
        consumer.awaitClosed(Duration.ofSeconds(30));
        System.exit(finished ? 0 : 1);
    }
}
