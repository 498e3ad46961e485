package io.tradetx.lab.profile;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import io.tradetx.scaling.sim.PodProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures what one consumer pod does on a real broker, with the consumer settings from the environment:
 * <ul>
 *   <li>steady capacity: one pod on a pre-filled backlog, messages per second once it runs;</li>
 *   <li>start: time from creating the pod's consumer to joining the group, then the ramp-up: time from
 *       joining until its throughput first holds at 90 % of the steady capacity;</li>
 *   <li>rebalance pause per group protocol: a pod processes a steady trickle (30 % of its capacity), a second
 *       pod joins, and each partition's pause is the extra time its messages waited in Kafka (max latency
 *       after the join minus the p95 latency before it), split into partitions that moved to the new pod and
 *       those that stayed.</li>
 * </ul>
 * Each measurement uses its own topic and consumer group (named after KAFKA_TOPIC), created on the broker.
 */
public final class PodProfiler {
    private static final Logger LOG = LoggerFactory.getLogger(PodProfiler.class);

    /**
     * @param partitions     partitions of each measurement topic
     * @param steady         how long the single pod runs on the backlog after joining
     * @param warmup         how long the first pod runs before the second joins
     * @param settle         how long both run after the join
     * @param protocols      the group protocols whose rebalance pause is measured
     * @param podStartSeconds time added to the measured join time for what a local run cannot see (image pull,
     *                        JVM start on Kubernetes)
     */
    public record Options(int partitions, Duration steady, Duration warmup, Duration settle,
                          List<GroupProtocol> protocols, double podStartSeconds) {
        public static Options full(double podStartSeconds) {
            return new Options(12, Duration.ofSeconds(30), Duration.ofSeconds(8), Duration.ofSeconds(20),
                    List.of(GroupProtocol.EAGER, GroupProtocol.CLASSIC, GroupProtocol.CONSUMER), podStartSeconds);
        }

        public static Options quick(double podStartSeconds) {
            return new Options(6, Duration.ofSeconds(6), Duration.ofSeconds(3), Duration.ofSeconds(9),
                    List.of(GroupProtocol.EAGER, GroupProtocol.CLASSIC, GroupProtocol.CONSUMER), podStartSeconds);
        }

        public Options withSteady(Duration d) {
            return new Options(partitions, d, warmup, settle, protocols, podStartSeconds);
        }
    }

    /** The pause a member joining caused, for one protocol (seconds; averages over the partitions). */
    public record Pause(GroupProtocol protocol, double unmovedSeconds, double movedSeconds,
                        double maxSeconds, int unmovedPartitions, int movedPartitions, double baselineP95Seconds) {
        /** The pause the simulator applies: every partition under eager, the moved ones otherwise. */
        double modelSeconds() {
            if (protocol == GroupProtocol.EAGER) {
                int n = unmovedPartitions + movedPartitions;
                return n == 0 ? 0 : (unmovedSeconds * unmovedPartitions + movedSeconds * movedPartitions) / n;
            }
            return movedSeconds;
        }
    }

    /** Everything measured, and the pod profile made from it. */
    public record Result(double capacity, double joinSeconds, double rampUpSeconds, long steadyMessages,
                         List<Pause> pauses, PodProfile profile) {
        /** Comment lines for the profile file: how each value was measured. */
        public String comments(String broker, ConsumerSettings settings) {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "# measured by `trade-tx profile` against %s%n", broker));
            b.append(String.format(Locale.ROOT, "# consumer: BATCH_SIZE %d, BATCH_TIMEOUT_SECONDS %s, BATCH_PROCESSING_TIME %s,"
                    + " MESSAGE_PROCESSING_TIME %s%n", settings.batchSize(), settings.batchTimeout().toMillis() / 1000.0,
                    settings.batchProcessingTime().toMillis() / 1000.0, settings.messageProcessingTime().toNanos() / 1e9));
            b.append(String.format(Locale.ROOT, "# steady capacity %.1f msg/s (%d messages), join %.2f s, ramp-up to 90%% %.2f s%n",
                    capacity, steadyMessages, joinSeconds, rampUpSeconds));
            for (Pause p : pauses) {
                b.append(String.format(Locale.ROOT, "# rebalance when a member joins, %s: moved partitions pause %.2f s"
                                + " (%d), unmoved %.2f s (%d), worst %.2f s; baseline p95 wait %.2f s%n",
                        p.protocol().rebalance(), p.movedSeconds(), p.movedPartitions(), p.unmovedSeconds(),
                        p.unmovedPartitions(), p.maxSeconds(), p.baselineP95Seconds()));
            }
            return b.toString();
        }
    }

    public Result run(KafkaSettings kafka, ConsumerSettings base, Options options) throws Exception {
        String id = Long.toString(System.currentTimeMillis() % 10_000_000, 36);
        double estimate = estimateCapacity(base);
        LOG.info("Profiling a pod: {} (estimated {} msg/s)", base.describe(), String.format(Locale.ROOT, "%.1f", estimate));
        Steady steady = steady(kafka, base, options, id, estimate);
        LOG.info("Steady capacity {} msg/s, join {} s, ramp-up {} s", fmt(steady.capacity), fmt(steady.join),
                fmt(steady.ramp));
        List<Pause> pauses = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.protocols().size());
        try {
            List<Future<Pause>> futures = new ArrayList<>();
            for (GroupProtocol p : options.protocols()) {
                futures.add(pool.submit(() -> pause(kafka, base.withGroupProtocol(p), options, id, steady.capacity)));
            }
            for (Future<Pause> f : futures) {
                pauses.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        PodProfile d = PodProfile.DEFAULT;
        Map<GroupProtocol, Double> model = new HashMap<>();
        for (Pause p : pauses) {
            model.put(p.protocol(), round(p.modelSeconds()));
        }
        PodProfile profile = new PodProfile(round(steady.capacity), round(options.podStartSeconds() + steady.join),
                round(steady.ramp),
                model.getOrDefault(GroupProtocol.EAGER, d.pauseEagerSeconds()),
                model.getOrDefault(GroupProtocol.CLASSIC, d.pauseCooperativeSeconds()),
                model.getOrDefault(GroupProtocol.CONSUMER, d.pauseConsumerSeconds()));
        return new Result(steady.capacity, steady.join, steady.ramp, steady.messages, pauses, profile);
    }

    static double estimateCapacity(ConsumerSettings s) {
        double batch = s.batchProcessingTime().toNanos() / 1e9 + s.batchSize() * (s.messageProcessingTime().toNanos() / 1e9);
        return batch <= 0 ? 10_000 : s.batchSize() / batch;
    }

    private record Steady(double capacity, double join, double ramp, long messages) {
    }

    private Steady steady(KafkaSettings kafka, ConsumerSettings base, Options o, String id, double estimate)
            throws Exception {
        KafkaSettings k = topic(kafka, base.kafka().topic() + "-profile-capacity-" + id, o.partitions());
        long backlog = (long) Math.min(2_000_000, Math.max(500, estimate * (o.steady().toSeconds() + 10) * 1.5));
        prefill(k, backlog);
        ConsumerSettings settings = settingsFor(base, k, "trade-tx-profile-capacity-" + id);
        List<ProfilingSink.Batch> log = ProfilingSink.newLog();
        long t0;
        long joined;
        try (ConsumerPool pool = pool(settings, log)) {
            t0 = System.nanoTime();
            pool.scaleTo(1);
            joined = waitFor(() -> pool.readyReplicas() == 1, Duration.ofSeconds(60), "the pod to join the group");
            long end = joined + o.steady().toNanos();
            while (System.nanoTime() < end && processed(log) < backlog) {
                Thread.sleep(50);
            }
        }
        List<ProfilingSink.Batch> batches = new ArrayList<>(log);
        batches.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        if (batches.size() < 3) {
            throw new IllegalStateException("the pod processed only " + batches.size() + " batches; use a longer --duration");
        }
        // Steady: the second half of the run, from the first batch that started in it to the last batch's end.
        long mid = joined + (batches.get(batches.size() - 1).endNanos() - joined) / 2;
        long from = -1;
        long count = 0;
        long last = 0;
        for (ProfilingSink.Batch b : batches) {
            if (b.startNanos() >= mid) {
                if (from < 0) {
                    from = b.startNanos();
                }
                count += b.size();
                last = Math.max(last, b.endNanos());
            }
        }
        if (from < 0 || last <= from) {
            ProfilingSink.Batch b = batches.get(batches.size() - 1);
            from = b.startNanos();
            last = b.endNanos();
            count = b.size();
        }
        double capacity = count / ((last - from) / 1e9);
        // Ramp-up: the first batch from which the next ~second of batches runs at >= 90 % of the steady rate.
        double ramp = (batches.get(batches.size() - 1).startNanos() - joined) / 1e9;
        for (int i = 0; i < batches.size(); i++) {
            long n = 0;
            long endAt = 0;
            int j = i;
            for (; j < batches.size(); j++) {
                n += batches.get(j).size();
                endAt = batches.get(j).endNanos();
                if (endAt - batches.get(i).startNanos() >= 1_000_000_000L && j > i) {
                    break;
                }
            }
            if (j >= batches.size()) {
                break;
            }
            double rate = n / ((endAt - batches.get(i).startNanos()) / 1e9);
            if (rate >= 0.9 * capacity) {
                ramp = Math.max(0, (batches.get(i).startNanos() - joined) / 1e9);
                break;
            }
        }
        return new Steady(capacity, (joined - t0) / 1e9, ramp, processed(log));
    }

    private Pause pause(KafkaSettings kafka, ConsumerSettings base, Options o, String id, double capacity)
            throws Exception {
        GroupProtocol protocol = base.groupProtocol();
        String name = protocol.rebalance();
        KafkaSettings k = topic(kafka, base.kafka().topic() + "-profile-" + name + "-" + id, o.partitions());
        ConsumerSettings settings = settingsFor(base, k, "trade-tx-profile-" + name + "-" + id);
        int rate = (int) Math.max(2 * o.partitions(), Math.min(0.3 * capacity, 1000));
        List<ProfilingSink.Batch> log = ProfilingSink.newLog();
        long joinWall;
        long readyWall;
        TradeProducer producer = new TradeProducer(k, "trade-tx-profile-producer-" + name, rate, TradeGenerator.random(),
                new SimpleMeterRegistry());
        Thread producerThread = new Thread(producer, "profile-producer-" + name);
        producerThread.setDaemon(true);
        try (ConsumerPool pool = pool(settings, log)) {
            producerThread.start();
            pool.scaleTo(1);
            waitFor(() -> pool.readyReplicas() == 1, Duration.ofSeconds(60), "the first pod to join (" + name + ")");
            readyWall = System.currentTimeMillis();
            Thread.sleep(o.warmup().toMillis());
            joinWall = System.currentTimeMillis();
            pool.scaleTo(2);
            waitFor(() -> pool.readyReplicas() == 2, Duration.ofSeconds(60), "the second pod to join (" + name + ")");
            Thread.sleep(o.settle().toMillis());
            producer.close();
            producer.awaitClosed(Duration.ofSeconds(10));
        } finally {
            producer.close();
        }
        // Latency of each record: stored (batch end) minus produced (record timestamp).
        List<Long> baseline = new ArrayList<>();
        Map<Integer, Long> worstAfter = new HashMap<>();
        Set<Integer> moved = new HashSet<>();
        Set<Integer> seenAfter = new HashSet<>();
        for (ProfilingSink.Batch b : log) {
            for (int i = 0; i < b.size(); i++) {
                long latency = b.endWallMillis() - b.recordMillis()[i];
                int p = b.partitions()[i];
                if (b.endWallMillis() < joinWall && b.recordMillis()[i] >= readyWall + 1000) {
                    baseline.add(latency);
                } else if (b.endWallMillis() >= joinWall) {
                    worstAfter.merge(p, latency, Math::max);
                    seenAfter.add(p);
                    if (b.pod().equals("consumer-2")) {
                        moved.add(p);
                    }
                }
            }
        }
        long[] sorted = baseline.stream().mapToLong(Long::longValue).sorted().toArray();
        long p95 = sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(0.95 * sorted.length) - 1)];
        double movedSum = 0;
        double unmovedSum = 0;
        double worst = 0;
        for (int p : seenAfter) {
            double excess = Math.max(0, worstAfter.get(p) - p95) / 1000.0;
            worst = Math.max(worst, excess);
            if (moved.contains(p)) {
                movedSum += excess;
            } else {
                unmovedSum += excess;
            }
        }
        int unmovedCount = seenAfter.size() - moved.size();
        Pause result = new Pause(protocol, unmovedCount == 0 ? 0 : unmovedSum / unmovedCount,
                moved.isEmpty() ? 0 : movedSum / moved.size(), worst, unmovedCount, moved.size(), p95 / 1000.0);
        LOG.info("Rebalance pause ({}): moved {} s over {} partitions, unmoved {} s over {}", name,
                fmt(result.movedSeconds()), moved.size(), fmt(result.unmovedSeconds()), unmovedCount);
        return result;
    }

    private static KafkaSettings topic(KafkaSettings kafka, String topic, int partitions) throws Exception {
        KafkaSettings k = new KafkaSettings(kafka.bootstrapServers(), topic, kafka.auth(), kafka.awsRegion(), partitions,
                kafka.topicReplicationFactor(), kafka.clientOverrides(), kafka.saslCredentials());
        try (Admin admin = Admin.create(KafkaClientProperties.admin(k, "trade-tx-profile-admin"))) {
            TopicProvisioner.ensureTopic(admin, topic, partitions, kafka.topicReplicationFactor(), Map.of());
            TopicProvisioner.ensureTopic(admin, topic + ConsumerSettings.DEAD_LETTER_SUFFIX, 1,
                    kafka.topicReplicationFactor(), Map.of());
        }
        return k;
    }

    private static ConsumerSettings settingsFor(ConsumerSettings base, KafkaSettings k, String group) {
        return new ConsumerSettings(k, group, base.batchSize(), base.batchTimeout(), base.batchProcessingTime(),
                base.messageProcessingTime(), base.metricsPort(), base.groupProtocol(),
                k.topic() + ConsumerSettings.DEAD_LETTER_SUFFIX, ConsumerSettings.SinkType.SIMULATED, null);
    }

    private static ConsumerPool pool(ConsumerSettings settings, List<ProfilingSink.Batch> log) {
        return new ConsumerPool(settings, new SimpleMeterRegistry(), pod -> {
            try {
                return new ProfilingSink(log, Sinks.fromSettings(settings), pod);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Duration.ZERO);
    }

    private static void prefill(KafkaSettings k, long messages) throws InterruptedException {
        int rate = (int) Math.min(50_000, Math.max(1000, messages));
        TradeProducer producer = new TradeProducer(k, "trade-tx-profile-prefill", rate, TradeGenerator.random(),
                new SimpleMeterRegistry());
        Thread t = new Thread(producer, "profile-prefill");
        t.setDaemon(true);
        t.start();
        try {
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (producer.acknowledged() < messages) {
                if (producer.fatalError() != null || System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not pre-fill the backlog: " + producer.fatalError());
                }
                Thread.sleep(20);
            }
        } finally {
            producer.setRate(0);
            producer.close();
            producer.awaitClosed(Duration.ofSeconds(10));
        }
        LOG.info("Pre-filled {} with {} messages", k.topic(), producer.acknowledged());
    }

    private static long processed(List<ProfilingSink.Batch> log) {
        long n = 0;
        for (ProfilingSink.Batch b : log) {
            n += b.size();
        }
        return n;
    }

    private static long waitFor(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
        return System.nanoTime();
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

}
