package io.tradetx.local.chaos;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.broker.LocalKafkaBroker;
import io.tradetx.local.run.GroupLagReader;
import io.tradetx.producer.TradeGenerator;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A chaos run on a real broker: produces keyed trades with sequential ids, runs the consumer as
 * separate OS processes (ConsumerMain with SINK=ledger, one ledger per process), and while they work
 * kills random consumers with SIGKILL and replaces them, scales the group out and in (SIGTERM), and
 * restarts the broker once. When the group's lag is 0 it reads every ledger and counts lost,
 * duplicated and out-of-order trades.
 */
public final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final long STATUS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Least time between two chaos events, so each one lands on a group that is working again. */
    private static final long MIN_EVENT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /** A killed consumer's replacement starts after this (a pod restart is not instant either). */
    private static final long REPLACE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SCALE_STEP = 2;

    /** What to run. {@code bootstrapServers} null starts a local broker (and allows its restart). */
    public record Options(int messages, int kills, String bootstrapServers, int consumers, int partitions,
                          int batchSize, double batchProcessingTime, int rate, boolean restartBroker, Path workDir,
                          long seed, Duration timeout) {
    }

    /** The figures of a run; {@link #passed()} is the verdict. */
    public record Result(int produced, long failedSends, LedgerCheck.Result ledger, int kills, int sigterms,
                         int scaleOuts, int brokerRestarts, int crashes, long duplicateBound, boolean drained,
                         Duration elapsed) {
        public boolean passed() {
            return drained && ledger.lost() == 0 && ledger.duplicates() <= duplicateBound
                    && ledger.orderViolations() == 0;
        }

        public String summary() {
            return "lost=" + ledger.lost() + " duplicates=" + ledger.duplicates() + " order_violations="
                    + ledger.orderViolations() + "\n"
                    + "produced=" + produced + " failed_sends=" + failedSends + " delivered=" + ledger.delivered()
                    + " distinct=" + ledger.distinct() + " unexpected=" + ledger.unexpected()
                    + " unreadable_lines=" + ledger.unreadableLines() + "\n"
                    + "kills=" + kills + " duplicates_bound=" + duplicateBound + " (kills x BATCH_SIZE)"
                    + " sigterms=" + sigterms + " scale_outs=" + scaleOuts + " broker_restarts=" + brokerRestarts
                    + " unexpected_exits=" + crashes + " lag_zero=" + drained + " elapsed_s="
                    + String.format(Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0)
                    + (ledger.lostSample().isEmpty() ? "" : "\nlost sample (sequence numbers): " + ledger.lostSample())
                    + (ledger.violationSample().isEmpty() ? "" : "\norder violations sample: " + ledger.violationSample())
                    + "\nverdict=" + (passed() ? "PASS" : "FAIL");
        }
    }

    private enum EventType { KILL, SCALE_OUT, SCALE_IN, BROKER_RESTART }

    private record Event(double atProgress, EventType type) {
    }

    /** One consumer process and its ledger. */
    private static final class Member {
        final int id;
        final Process process;
        final Path ledger;
        final Path log;
        boolean stopping;

        Member(int id, Process process, Path ledger, Path log) {
            this.id = id;
            this.process = process;
            this.ledger = ledger;
            this.log = log;
        }
    }

    private final Options options;
    private final Random random;
    private final List<Member> members = new ArrayList<>();
    private final List<Member> stopping = new ArrayList<>();
    private final List<Path> ledgers = new ArrayList<>();
    private final List<Long> pendingReplacements = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private final BitSet failed = new BitSet();
    private volatile int sent;
    private int nextMemberId = 1;
    private int kills;
    private int sigterms;
    private int scaleOuts;
    private int brokerRestarts;
    private int crashes;
    private String bootstrap;
    private String topic;
    private String group;

    public ChaosRun(Options options) {
        this.options = options;
        this.random = new Random(options.seed());
    }

    public Result run() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(options.workDir());
        LocalKafkaBroker broker = null;
        try {
            bootstrap = options.bootstrapServers();
            if (bootstrap == null) {
                LOG.info("Starting a local Kafka broker (KRaft, single node)...");
                broker = LocalKafkaBroker.start();
                bootstrap = broker.bootstrapServers();
            }
            long id = System.currentTimeMillis() / 1000;
            topic = "trade-tx-chaos-" + id;
            group = "trade-tx-chaos-" + id;
            KafkaSettings kafka = KafkaSettings.local(bootstrap, topic, options.partitions());
            try (Admin admin = Admin.create(KafkaClientProperties.admin(kafka, "trade-tx-chaos-admin"))) {
                TopicProvisioner.ensureTopic(admin, topic, options.partitions(), (short) 1, Map.of());
                TopicProvisioner.ensureTopic(admin, topic + ConsumerSettings.DEAD_LETTER_SUFFIX, 1, (short) 1,
                        Map.of());
                LOG.info("Chaos run: {} messages on topic {} ({} partitions), group {}, {} consumers, {} kills, "
                                + "broker restart: {}, work dir {}", options.messages(), topic, options.partitions(),
                        group, options.consumers(), options.kills(), broker != null && options.restartBroker(),
                        options.workDir());
                Thread producer = new Thread(() -> produce(kafka), "chaos-producer");
                producer.start();
                for (int i = 0; i < options.consumers(); i++) {
                    startMember();
                }
                boolean drained = drive(admin, broker, producer, start);
                stopAll();
                producer.join(TimeUnit.SECONDS.toMillis(30));
                LedgerCheck.Result ledger = LedgerCheck.check(ledgers, sent, failedCopy());
                return new Result(sent, failedCopy().cardinality(), ledger, kills, sigterms, scaleOuts,
                        brokerRestarts, crashes, (long) kills * options.batchSize(), drained,
                        Duration.ofNanos(System.nanoTime() - start));
            }
        } finally {
            for (Member m : members) {
                m.process.destroyForcibly();
            }
            for (Member m : stopping) {
                m.process.destroyForcibly();
            }
            if (broker != null) {
                broker.close();
            }
        }
    }

    private BitSet failedCopy() {
        synchronized (failed) {
            return (BitSet) failed.clone();
        }
    }

    /** Sends every trade at the target rate; a full buffer or an unreachable broker blocks and is logged. */
    private void produce(KafkaSettings kafka) {
        TradeGenerator generator = new TradeGenerator(options.seed(), true);
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientProperties.producer(kafka, "trade-tx-chaos-producer"))) {
            for (int i = 0; i < options.messages(); i++) {
                if (options.rate() > 0 && i % 50 == 0) {
                    long due = begin + (long) (i * 1e9 / options.rate());
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                Trade t = generator.next(Instant.now());
                int seq = i;
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, t.accountId(), TradeJson.encode(t));
                while (true) {
                    long before = System.nanoTime();
                    try {
                        producer.send(record, (md, e) -> {
                            if (e == null) {
                                acked.incrementAndGet();
                            } else {
                                LOG.error("Send of trade {} failed: {}", seq, e.toString());
                                synchronized (failed) {
                                    failed.set(seq);
                                }
                            }
                        });
                        long took = System.nanoTime() - before;
                        if (took > TimeUnit.SECONDS.toNanos(1)) {
                            LOG.warn("Send blocked for {} ms: producer buffer full or broker unreachable",
                                    TimeUnit.NANOSECONDS.toMillis(took));
                        }
                        break;
                    } catch (TimeoutException e) {
                        LOG.warn("Producer buffer full for {} ms, broker unreachable? retrying: {}",
                                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before), e.getMessage());
                    }
                }
                sent = i + 1;
            }
            producer.flush();
        }
        LOG.info("Producer done: {} sent, {} acknowledged, {} failed", sent, acked.get(), failedCopy().cardinality());
    }

    private List<Event> plan(boolean canRestartBroker) {
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < options.kills(); i++) {
            events.add(new Event(0.05 + 0.85 * i / Math.max(1, options.kills()), EventType.KILL));
        }
        events.add(new Event(0.22, EventType.SCALE_OUT));
        events.add(new Event(0.62, EventType.SCALE_IN));
        if (canRestartBroker) {
            events.add(new Event(0.42, EventType.BROKER_RESTART));
        }
        events.sort(Comparator.comparingDouble(Event::atProgress));
        return events;
    }

    /** Runs the event plan until every event happened and the group has no lag; false on timeout. */
    private boolean drive(Admin admin, LocalKafkaBroker broker, Thread producer, long start) throws Exception {
        List<Event> events = new ArrayList<>(plan(broker != null && options.restartBroker()));
        GroupLagReader lagReader = new GroupLagReader(admin, topic, group);
        long deadline = start + options.timeout().toNanos();
        long lastEvent = 0;
        long nextStatus = System.nanoTime() + STATUS_INTERVAL_NANOS;
        long committed = 0;
        long lag = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
            reap();
            replaceKilled();
            try {
                List<GroupLagReader.PartitionLag> lags = lagReader.read();
                committed = lags.stream().mapToLong(l -> Math.max(0, l.committed())).sum();
                lag = GroupLagReader.totalLag(lags);
            } catch (Exception e) {
                LOG.warn("Reading the group's lag failed (broker restarting?): {}", e.toString());
            }
            double progress = committed / (double) options.messages();
            long now = System.nanoTime();
            if (now >= nextStatus) {
                nextStatus = now + STATUS_INTERVAL_NANOS;
                LOG.info("Status: sent {} acked {}, committed {} ({}%), lag {}, consumers {}, kills {}/{}, "
                                + "events left {}", sent, acked.get(), committed,
                        String.format(Locale.ROOT, "%.1f", progress * 100), lag, members.size(), kills,
                        options.kills(), events.size());
            }
            if (!events.isEmpty() && events.get(0).atProgress() <= progress && now - lastEvent >= MIN_EVENT_GAP_NANOS
                    && pendingReplacements.isEmpty()) {
                Event e = events.remove(0);
                fire(e, broker);
                lastEvent = System.nanoTime();
            }
            boolean produced = !producer.isAlive();
            if (produced && events.isEmpty() && pendingReplacements.isEmpty() && lag == 0
                    && committed >= sent - failedCopy().cardinality()) {
                LOG.info("Group lag is 0: {} committed of {} sent", committed, sent);
                return true;
            }
        }
        LOG.error("Timed out after {} s with lag {} and {} events left", options.timeout().toSeconds(), lag,
                events.size());
        return false;
    }

    private void fire(Event e, LocalKafkaBroker broker) throws Exception {
        switch (e.type()) {
            case KILL -> {
                if (members.isEmpty()) {
                    return;
                }
                Member victim = members.remove(random.nextInt(members.size()));
                kills++;
                LOG.info("Chaos: SIGKILL consumer-{} (pid {}), kill {}/{}", victim.id, victim.process.pid(), kills,
                        options.kills());
                victim.process.destroyForcibly();
                victim.process.waitFor(10, TimeUnit.SECONDS);
                pendingReplacements.add(System.nanoTime() + REPLACE_DELAY_NANOS);
            }
            case SCALE_OUT -> {
                scaleOuts++;
                LOG.info("Chaos: scale out {} -> {} consumers", members.size(), members.size() + SCALE_STEP);
                for (int i = 0; i < SCALE_STEP; i++) {
                    startMember();
                }
            }
            case SCALE_IN -> {
                int target = Math.max(1, members.size() - SCALE_STEP);
                LOG.info("Chaos: scale in {} -> {} consumers (SIGTERM)", members.size(), target);
                while (members.size() > target) {
                    // The oldest members: they own partitions and have a batch in flight, so the drain is tested.
                    Member m = members.remove(0);
                    m.stopping = true;
                    m.process.destroy();
                    stopping.add(m);
                    sigterms++;
                }
            }
            case BROKER_RESTART -> {
                brokerRestarts++;
                LOG.info("Chaos: restarting the broker (SIGTERM, then start on the same data)");
                long t0 = System.nanoTime();
                broker.restart();
                LOG.info("Chaos: broker back after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
        }
    }

    /** Notices consumers that exited by themselves (a crash) and SIGTERMed ones that finished. */
    private void reap() throws IOException {
        for (var it = stopping.iterator(); it.hasNext(); ) {
            Member m = it.next();
            if (!m.process.isAlive()) {
                it.remove();
                if (m.process.exitValue() == 143) {
                    LOG.info("consumer-{} got SIGTERM while starting, before its handler was installed (exit 143)",
                            m.id);
                } else if (m.process.exitValue() != 0) {
                    crashes++;
                    LOG.error("consumer-{} exited with {} after SIGTERM; see {}", m.id, m.process.exitValue(), m.log);
                } else {
                    LOG.info("consumer-{} drained and exited 0 after SIGTERM", m.id);
                }
            }
        }
        for (var it = members.iterator(); it.hasNext(); ) {
            Member m = it.next();
            if (!m.process.isAlive()) {
                it.remove();
                crashes++;
                LOG.error("consumer-{} exited by itself with {}; see {}. Replacing it", m.id, m.process.exitValue(),
                        m.log);
                pendingReplacements.add(System.nanoTime());
            }
        }
    }

    private void replaceKilled() throws IOException {
        long now = System.nanoTime();
        for (var it = pendingReplacements.iterator(); it.hasNext(); ) {
            if (it.next() <= now) {
                it.remove();
                startMember();
            }
        }
    }

    private void startMember() throws IOException {
        int id = nextMemberId++;
        Path ledger = options.workDir().resolve("consumer-" + id + ".ledger");
        Path log = options.workDir().resolve("consumer-" + id + ".log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx192m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ConsumerMain.class.getName());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_TOPIC", topic);
        env.put("CONSUMER_GROUP", group);
        env.put("BATCH_SIZE", String.valueOf(options.batchSize()));
        env.put("BATCH_PROCESSING_TIME", String.valueOf(options.batchProcessingTime()));
        env.put("MESSAGE_PROCESSING_TIME", "0");
        env.remove("DLQ_TOPIC");
        env.put("SINK", "ledger");
        env.put("LEDGER_FILE", ledger.toString());
        env.put("METRICS_PORT", String.valueOf(freePort()));
        env.put("HOSTNAME", "chaos-consumer-" + id);
        Member m = new Member(id, pb.start(), ledger, log);
        members.add(m);
        ledgers.add(ledger);
        LOG.info("Started consumer-{} (pid {}), {} running", id, m.process.pid(), members.size());
    }

    private void stopAll() throws InterruptedException {
        LOG.info("Stopping {} consumers with SIGTERM", members.size());
        for (Member m : members) {
            m.process.destroy();
        }
        stopping.addAll(members);
        members.clear();
        long deadline = System.nanoTime() + ConsumerSettings.DEFAULT_SHUTDOWN_GRACE_PERIOD.plusSeconds(10).toNanos();
        for (Member m : stopping) {
            long left = deadline - System.nanoTime();
            if (!m.process.waitFor(Math.max(1, left), TimeUnit.NANOSECONDS)) {
                LOG.warn("consumer-{} did not stop in time; killing it", m.id);
                m.process.destroyForcibly();
            }
        }
        stopping.clear();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
