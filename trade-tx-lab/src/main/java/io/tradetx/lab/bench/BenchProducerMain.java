package io.tradetx.lab.bench;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.Startup;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The producer of the throughput benchmark, in its own JVM: the real TradeProducer with the trade
 * generator at a rate it cannot reach (MESSAGES_PER_SECOND, e.g. 1,000,000), timed from the start of
 * its loop until the given number of records is acknowledged, as ProducerPerformance times itself.
 * Prints {@code BENCH messages=N elapsed_ms=T}.
 */
public final class BenchProducerMain {
    private BenchProducerMain() {
    }

    public static void main(String[] args) throws Exception {
        long target = Long.parseLong(args[0]);
        Env env = Env.system();
        KafkaSettings kafka = Startup.settingsOrExit(() -> {
            KafkaSettings k = KafkaSettings.fromEnv(env);
            env.validate();
            return k;
        });
        int rate = Integer.parseInt(System.getenv().getOrDefault("MESSAGES_PER_SECOND", "1000000"));
        TradeProducer producer = new TradeProducer(kafka, "bench-producer", rate, TradeGenerator.random(),
                Metrics.newRegistryWithJvmMetrics());
        Thread loop = new Thread(producer, "producer-loop");
        long start = System.nanoTime();
        long deadline = start + TimeUnit.MINUTES.toNanos(10);
        loop.start();
        while (producer.acknowledged() < target && System.nanoTime() < deadline && producer.fatalError() == null) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        long elapsedNanos = System.nanoTime() - start;
        long acked = producer.acknowledged();
        System.out.println("BENCH messages=" + acked + " elapsed_ms=" + TimeUnit.NANOSECONDS.toMillis(elapsedNanos)
                + " failed=" + producer.failedSends());
        producer.close();
        producer.awaitClosed(Duration.ofSeconds(30));
        System.exit(acked >= target ? 0 : 1);
    }
}
