package io.tradetx.lab.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.sink.SimulatedDbSink;
import io.tradetx.consumer.sink.TradeSink;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Part 4: how long processing stalls when the group grows from 1 to 8 members and shrinks from 8 to
 * 4, under eager (classic + range), cooperative-sticky (classic) and KIP-848 (consumer). The consumers
 * run in this process (ConsumerPool, as in {@code ./trade-tx local}) with a sink that records when
 * each partition's records were stored, while a producer keeps sending at a steady rate.
 */
final class RebalanceBench {
    static final int RATE = 1200;
    static final int BATCH_SIZE = 500;
    static final Duration BATCH_TIMEOUT = Duration.ofMillis(100);
    static final Duration BATCH_TIME = Duration.ofMillis(50);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Records of one partition stored by one pod at one time. */
    private record Stored(long nanos, String pod, int partition, int count) {
    }

    private final Bench bench;
    private final ConcurrentLinkedQueue<Stored> stored = new ConcurrentLinkedQueue<>();

    RebalanceBench(Bench bench) {
        this.bench = bench;
    }

    static String name(GroupProtocol p) {
        return switch (p) {
            case EAGER -> "eager";
            case CLASSIC -> "cooperative";
            case CONSUMER -> "kip848";
        };
    }

    void run(int repeats) throws Exception {
        BenchResults r = bench.results();
        r.remark("Rebalance: a producer sends " + RATE + " msg/s to a fresh 24-partition topic; consumers in the bench "
                + "process (ConsumerPool, BATCH_SIZE=" + BATCH_SIZE + ", BATCH_TIMEOUT_SECONDS=0.1, "
                + "BATCH_PROCESSING_TIME=0.05) record when each partition's records are stored. After a baseline "
                + "the group grows 1 -> 8 (grow), settles, then shrinks 8 -> 4 (shrink; the 4 newest stop as on "
                + "SIGTERM). Per change: normal_gap = the longest gap between two stores of any partition in the "
                + "baseline before the change; unmoved/moved_gap = the longest gap, from the last store before the "
                + "change until 3 s after the assignment settled, of partitions whose owner is the same / "
                + "different after the change; unmoved_extra_gap = max(0, unmoved_gap - normal_gap); "
                + "throughput_dip = 1 - (lowest 1 s sliding-window store rate after the change) / (baseline rate). "
                + "Eager = classic + RangeAssignor, cooperative = classic + CooperativeStickyAssignor "
                + "(session 10 s, heartbeat 1 s), kip848 = group.protocol=consumer with the broker's defaults "
                + "(uniform assignor, group.consumer.heartbeat.interval.ms=5000).");
        for (GroupProtocol p : List.of(GroupProtocol.CLASSIC, GroupProtocol.CONSUMER)) {
            for (String phase : List.of("grow", "shrink")) {
                r.goal("rebalance_unmoved_extra_gap_ms_" + name(p) + "_" + phase, "= 0 (<= 100 ms jitter)", v -> v <= 100);
            }
        }
        for (int i = 1; i <= repeats; i++) {
            for (GroupProtocol p : List.of(GroupProtocol.EAGER, GroupProtocol.CLASSIC, GroupProtocol.CONSUMER)) {
                runOnce(p);
            }
        }
    }

    private void runOnce(GroupProtocol protocol) throws Exception {
        stored.clear();
        Duration baseline = bench.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(6);
        KafkaSettings kafka = bench.topic("bench-rebalance-" + name(protocol));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        TradeProducer producer = new TradeProducer(kafka, "bench-rebalance", RATE, TradeGenerator.random(), registry);
        Thread load = new Thread(producer, "rebalance-load");
        load.start();
        ConsumerSettings settings = new ConsumerSettings(kafka, bench.unique("bench-rebalance"), BATCH_SIZE,
                BATCH_TIMEOUT, BATCH_TIME, Duration.ZERO, 8000, protocol, kafka.topic() + ".dlq",
                ConsumerSettings.SinkType.SIMULATED, null);
        ConsumerPool pool = new ConsumerPool(settings, registry, this::sink, Duration.ZERO);
        try {
            pool.scaleTo(1);
            awaitSettled(pool, 1);
            sleep(Duration.ofSeconds(2)); // warm-up: JIT, the catch-up of records sent before the join
            measureChange(pool, protocol, "grow", 8, baseline);
            measureChange(pool, protocol, "shrink", 4, baseline);
        } finally {
            pool.close();
            producer.close();
            producer.awaitClosed(Duration.ofSeconds(30));
        }
    }

    private TradeSink sink(String pod) {
        SimulatedDbSink db = new SimulatedDbSink(Duration.ZERO, BATCH_TIME);
        return batch -> {
            db.write(batch);
            long now = System.nanoTime();
            Map<Integer, Integer> counts = new HashMap<>();
            for (ConsumedTrade t : batch) {
                counts.merge(t.partition(), 1, Integer::sum);
            }
            counts.forEach((p, n) -> stored.add(new Stored(now, pod, p, n)));
        };
    }

    /** Waits until n members are ready and own all partitions between them, none empty-handed. */
    /** A baseline, then the group changes to {@code replicas}; analysed up to 3 s after it settles. */
    private void measureChange(ConsumerPool pool, GroupProtocol protocol, String phase, int replicas,
                               Duration baseline) {
        long baselineStart = System.nanoTime();
        sleep(baseline);
        long change = System.nanoTime();
        pool.scaleTo(replicas);
        long settled = awaitSettled(pool, replicas);
        sleep(Duration.ofSeconds(3));
        long end = System.nanoTime();
        Bench.log("rebalance %s %s: settled after %.1f s", name(protocol), phase, (settled - change) / 1e9);
        analyse(protocol, phase, baselineStart, change, end);
    }

    private long awaitSettled(ConsumerPool pool, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            List<ConsumerPool.Pod> pods = pool.pods();
            int total = 0;
            boolean ok = pods.size() == n;
            for (ConsumerPool.Pod pod : pods) {
                ok &= pod.isReady() && pod.consumer().assignedPartitions() > 0;
                total += pod.consumer() == null ? 0 : pod.consumer().assignedPartitions();
            }
            if (ok && total == Bench.PARTITIONS) {
                return System.nanoTime();
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("The group of " + n + " did not settle within 120 s");
    }

    private void analyse(GroupProtocol protocol, String phase, long baselineStart, long change, long end) {
        List<Stored> all = new ArrayList<>(stored);
        all.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        Map<Integer, List<Stored>> byPartition = new HashMap<>();
        for (Stored s : all) {
            if (s.nanos() < end) {
                byPartition.computeIfAbsent(s.partition(), k -> new ArrayList<>()).add(s);
            }
        }
        long normal = 0;
        long unmovedGap = -1;
        long movedGap = -1;
        int unmoved = 0;
        for (int p = 0; p < Bench.PARTITIONS; p++) {
            List<Stored> events = byPartition.getOrDefault(p, List.of());
            Stored lastBefore = null;
            Stored prev = null;
            long gap = 0;
            for (Stored s : events) {
                if (s.nanos() >= baselineStart && s.nanos() < change && prev != null && prev.nanos() >= baselineStart) {
                    normal = Math.max(normal, s.nanos() - prev.nanos());
                }
                if (s.nanos() < change) {
                    lastBefore = s;
                } else if (prev != null) {
                    gap = Math.max(gap, s.nanos() - prev.nanos());
                }
                prev = s;
            }
            if (lastBefore == null || prev == null) {
                continue;
            }
            gap = Math.max(gap, end - prev.nanos()); // still waiting at the end counts too
            if (lastBefore.pod().equals(prev.pod())) {
                unmoved++;
                unmovedGap = Math.max(unmovedGap, gap);
            } else {
                movedGap = Math.max(movedGap, gap);
            }
        }
        String suffix = name(protocol) + "_" + phase;
        BenchResults r = bench.results();
        r.add("rebalance_normal_gap_ms_" + suffix, normal / 1e6);
        if (unmovedGap >= 0) {
            r.add("rebalance_unmoved_gap_ms_" + suffix, unmovedGap / 1e6);
            r.add("rebalance_unmoved_extra_gap_ms_" + suffix, Math.max(0, unmovedGap - normal) / 1e6);
        } else {
            Bench.log("rebalance %s: no partition kept its owner", suffix);
        }
        if (movedGap >= 0) {
            r.add("rebalance_moved_gap_ms_" + suffix, movedGap / 1e6);
        }
        r.add("rebalance_throughput_dip_pct_" + suffix, dipPct(all, baselineStart, change, end));
        Bench.log("rebalance %s: %d of 24 partitions kept their owner", suffix, unmoved);
    }

    /** 1 - the lowest 1 s sliding-window store rate after the change / the baseline rate, in percent. */
    private static double dipPct(List<Stored> all, long baselineStart, long change, long end) {
        long baseCount = 0;
        for (Stored s : all) {
            if (s.nanos() >= baselineStart && s.nanos() < change) {
                baseCount += s.count();
            }
        }
        double baseRate = baseCount / ((change - baselineStart) / 1e9);
        double lowest = Double.MAX_VALUE;
        for (long t = change + SECOND; t <= end; t += TimeUnit.MILLISECONDS.toNanos(50)) {
            long from = t - SECOND;
            long n = 0;
            for (Stored s : all) {
                if (s.nanos() >= from && s.nanos() < t) {
                    n += s.count();
                }
            }
            lowest = Math.min(lowest, n);
        }
        return baseRate <= 0 ? 0 : Math.max(0, 1 - lowest / baseRate) * 100;
    }

    private static void sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        long left;
        while ((left = end - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }
}
