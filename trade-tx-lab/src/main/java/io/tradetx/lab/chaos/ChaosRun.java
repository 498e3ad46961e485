package io.tradetx.lab.chaos;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.DeadLetterPublisher;
import io.tradetx.lab.chaos.LedgerCheck.Kind;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.LocalKafkaBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fault of the chaos matrix on a real broker, with its own topic, dead-letter topic and group:
 * produces keyed messages with sequential ids (some of them refused by the sink, oversized or not
 * trades at all, as the fault needs), runs consumers as separate OS processes
 * ({@link ChaosConsumerMain}, {@code SINK=ledger}, the consumer image's JVM flags), injects the fault
 * while they work, waits until the group's lag is 0, then accounts for every message from the
 * ledgers and the dead-letter topic, and measures the longest partition stall outside the fault.
 */
public final class ChaosRun {
    private static final Logger LOG = LoggerFactory.getLogger(ChaosRun.class);
    private static final long STATUS_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Least time between two planned events, so each one lands on a group that is working again. */
    private static final long MIN_EVENT_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(1500);
    /**
     * After a SIGKILL: the 10 s session timeout (both protocols here) and the rebalance, so the next
     * kill does not hit partitions that have not moved yet and the stalls stay one kill's long.
     */
    private static final long GAP_AFTER_KILL_NANOS = TimeUnit.SECONDS.toNanos(12);
    /** A crashed or killed consumer's replacement starts after this (a pod restart is not instant either). */
    private static final long REPLACE_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int SCALE_STEP = 2;
    /** sink-rejects-records: the sink refuses one trade in this many. */
    static final int REFUSE_EVERY = 500;
    private static final FaultControl REFUSING = new FaultControl(false, REFUSE_EVERY);
    /** dlq-outage: one message in this many is not a trade. */
    static final int NOT_A_TRADE_EVERY = 200;
    /** oversized-records: each padded trade's size, below the broker's default 1 MiB message limit. */
    static final int OVERSIZED_BYTES = 1_000_000;
    /** oversized-records: the normal trades after the padded ones (the seed's slow write makes more take long). */
    static final int OVERSIZED_TAIL = 200;
    static final double OVERSIZED_BATCH_PROCESSING_SECONDS = 1.0;

    /** One fault's run. {@code oversized}: how many padded trades the oversized-records burst holds. */
    public record Options(Fault fault, GroupProtocol protocol, int messages, int rate, int consumers, int partitions,
                          int batchSize, double batchProcessingTime, int kills, int oversized, Duration outage,
                          Duration grace, Duration stallBudget, Duration timeout, Path workDir, long seed) {
    }

    /** The figures of one fault; {@link #problems()} empty is a pass. */
    public record Result(Options options, LedgerCheck.Result ledger, double stalledSeconds, int kills, int sigterms,
                         int sigtermOverruns, int scaleOuts, int brokerRestarts, int crashes, long failedSends,
                         boolean drained, boolean stoppedStalled, Duration elapsed) {

        /** Why this fault failed; empty if it passed. */
        public List<String> problems() {
            List<String> p = new ArrayList<>();
            if (ledger.lost() > 0) {
                p.add(ledger.lost() + " acknowledged messages neither stored nor dead-lettered while the group's "
                        + "committed offset passed them, e.g. sequence " + ledger.lostSample());
            }
            if (ledger.orderViolations() > 0) {
                p.add(ledger.orderViolations() + " trades stored before an earlier trade of their account, e.g. "
                        + ledger.violationSample());
            }
            if (stalledSeconds > options.stallBudget().toSeconds()) {
                p.add(String.format(Locale.ROOT, "a partition made no progress for %.1f s with records waiting "
                        + "(budget %d s)", stalledSeconds, options.stallBudget().toSeconds()));
            }
            if (!drained) {
                p.add(stoppedStalled ? "stopped early: stalled past the budget" : "the group's lag did not reach 0 "
                        + "within " + options.timeout().toSeconds() + " s");
            }
            if (sigtermOverruns > 0) {
                p.add(sigtermOverruns + " consumers did not exit within the " + options.grace().toSeconds()
                        + " s grace period after SIGTERM (then SIGKILLed, as the kubelet does)");
            }
            if (crashes > 0) {
                p.add(crashes + " consumers exited by themselves (see their logs)");
            }
            if (ledger.wronglyDeadLettered() > 0) {
                p.add(ledger.wronglyDeadLettered() + " valid trades were dead-lettered instead of stored");
            }
            if (ledger.deadLettersWithoutContext() > 0) {
                p.add(ledger.deadLettersWithoutContext() + " dead letters without the headers naming their source");
            }
            if (ledger.unexpected() > 0 || ledger.unreadableLines() > 0) {
                p.add(ledger.unexpected() + " unknown trades and " + ledger.unreadableLines() + " unreadable lines "
                        + "in the ledgers");
            }
            return p;
        }

        public boolean passed() {
            return problems().isEmpty();
        }

        /** The one line per fault: {@code fault=NAME lost=0 duplicates=N order_violations=0 stalled_s=S}. */
        public String line() {
            return String.format(Locale.ROOT, "fault=%s lost=%d duplicates=%d order_violations=%d stalled_s=%.1f "
                            + "protocol=%s", options.fault().cliName(), ledger.lost(), ledger.duplicates(),
                    ledger.orderViolations(), stalledSeconds, options.protocol().name().toLowerCase(Locale.ROOT));
        }

        public String details() {
            return String.format(Locale.ROOT, "  produced=%d failed_sends=%d stored=%d dead_lettered=%d distinct=%d "
                            + "pending=%d kills=%d sigterms=%d sigterm_overruns=%d scale_outs=%d broker_restarts=%d "
                            + "unexpected_exits=%d lag_zero=%b elapsed_s=%.1f verdict=%s%s",
                    ledger.produced(), failedSends, ledger.stored(), ledger.deadLettered(), ledger.distinct(),
                    ledger.pending(), kills,
                    sigterms, sigtermOverruns, scaleOuts, brokerRestarts, crashes, drained,
                    elapsed.toMillis() / 1000.0, passed() ? "PASS" : "FAIL",
                    passed() ? "" : "\n  - " + String.join("\n  - ", problems()));
        }
    }

    private enum Action { KILL, SCALE_OUT, SCALE_IN, BROKER_RESTART, SINK_DOWN, SINK_UP, DLQ_UP, SIGTERM_ALL,
        START_ALL }

    /**
     * A planned action: due when the group's committed share passes {@code atProgress} while its lag is
     * at most {@code maxLag}, or at {@code atNanos}.
     */
    private record Event(double atProgress, long maxLag, long atNanos, Action action) {
        boolean due(double progress, long lag, long now) {
            return (progress >= atProgress && lag <= maxLag) || now >= atNanos;
        }
    }

    /** One consumer process, its log and its HTTP port. */
    private record Member(int id, Process process, Path log, int port) {
    }

    private final Options options;
    private final LocalKafkaBroker broker;
    private final String bootstrap;
    private final Random random;
    private final List<Member> members = new ArrayList<>();
    private final List<Path> ledgers = new ArrayList<>();
    private final List<Long> pendingReplacements = new ArrayList<>();
    private final AtomicLong acked = new AtomicLong();
    private final PartitionStalls stalls = new PartitionStalls();
    private final Path controlFile;
    private LedgerCheck.Produced produced;
    private FaultControl control;
    private volatile int sent;
    private int nextMemberId = 1;
    private int kills;
    private int sigterms;
    private int sigtermOverruns;
    private int scaleOuts;
    private int brokerRestarts;
    private int crashes;
    private String topic;
    private String group;

    /** @param broker the local broker (it may be restarted), or null when {@code bootstrap} is another one */
    public ChaosRun(Options options, LocalKafkaBroker broker, String bootstrap) {
        this.options = options;
        this.broker = broker;
        this.bootstrap = bootstrap;
        this.random = new Random(options.seed());
        this.controlFile = options.workDir().resolve("fault-control.properties");
    }

    public Result run() throws Exception {
        long start = System.nanoTime();
        Files.createDirectories(options.workDir());
        String id = options.fault().cliName() + "-" + options.protocol().name().toLowerCase(Locale.ROOT) + "-"
                + System.currentTimeMillis() / 1000;
        topic = "trade-tx-chaos-" + id;
        group = "trade-tx-chaos-" + id;
        KafkaSettings kafka = KafkaSettings.local(bootstrap, topic, options.partitions());
        produced = new LedgerCheck.Produced(messages());
        control = options.fault() == Fault.SINK_REJECTS_RECORDS ? REFUSING : FaultControl.NORMAL;
        control.write(controlFile);
        try (Admin admin = Admin.create(KafkaClientProperties.admin(kafka, "trade-tx-chaos-admin"))) {
            TopicProvisioner.ensureTopic(admin, topic, options.partitions(), (short) 1, Map.of());
            TopicProvisioner.ensureTopic(admin, deadLetterTopic(), 1, (short) 1, Map.of());
            LOG.info("Chaos fault {} ({}): {} messages on {} ({} partitions), group {}, {} consumers, work dir {}",
                    options.fault().cliName(), options.protocol().name().toLowerCase(Locale.ROOT), messages(),
                    topic, options.partitions(), group, options.consumers(), options.workDir());
            Thread producer = new Thread(() -> produce(kafka), "chaos-producer");
            switch (options.fault()) {
                case OVERSIZED_RECORDS -> {
                    // The big records wait in Kafka when the consumer starts (a backlog, as after a scale from
                    // 0): it then fetches as much as its buffer allows, at once.
                    producer.start();
                    while (producer.isAlive() && acked.get() < options.oversized()) {
                        TimeUnit.MILLISECONDS.sleep(50);
                    }
                    startMembers(1); // KEDA's 0 -> 1: one pod meets the whole backlog

                }
                case DLQ_OUTAGE -> {
                    // The dead-letter topic goes once every consumer has checked it at start; every message
                    // that is not a trade is then sent while it is away.
                    startMembers(options.consumers());
                    awaitReady();
                    deleteDeadLetterTopic(admin);
                    producer.start();
                }
                // The outage meets a scale-out from one pod, as KEDA's first step up: most partitions move.
                case SINK_OUTAGE_DURING_SCALE_OUT -> {
                    producer.start();
                    startMembers(1);
                }
                default -> {
                    producer.start();
                    startMembers(options.consumers());
                }
            }
            Drive drive = drive(admin, producer, start);
            stopAll();
            producer.join(TimeUnit.SECONDS.toMillis(30));
            Map<Integer, Long> committed = new HashMap<>();
            for (GroupLagReader.PartitionLag l : new GroupLagReader(admin, topic, group).read()) {
                committed.put(l.partition(), l.committed());
            }
            LedgerCheck.Result ledger = LedgerCheck.check(ledgers, produced, readDeadLetters(kafka), committed);
            return new Result(options, ledger, stalls.longestSeconds(), kills, sigterms, sigtermOverruns, scaleOuts,
                    brokerRestarts, crashes, produced.failedCount(), drive == Drive.DRAINED,
                    drive == Drive.STALLED, Duration.ofNanos(System.nanoTime() - start));
        } finally {
            for (Member m : members) {
                m.process().destroyForcibly();
            }
        }
    }

    /**
     * Messages per second: --rate, but for sink-outage-during-scale-out at most what one consumer keeps up
     * with, so that production goes on through the outage and the first pod is not behind when it starts.
     */
    private int rate() {
        return options.fault() == Fault.SINK_OUTAGE_DURING_SCALE_OUT && (options.rate() == 0 || options.rate() > 500)
                ? 500 : options.rate();
    }

    /** Messages this fault sends: --messages, or for oversized-records the padded ones and a short tail. */
    private int messages() {
        return options.fault() == Fault.OVERSIZED_RECORDS ? options.oversized() + OVERSIZED_TAIL : options.messages();
    }

    private String deadLetterTopic() {
        return topic + ".dlq";
    }

    /** What message n is, by the fault: most are plain trades. */
    private Kind kindOf(int seq) {
        return switch (options.fault()) {
            case SINK_REJECTS_RECORDS -> REFUSING.rejects(seq) ? Kind.REFUSED_BY_SINK : Kind.TRADE;
            case DLQ_OUTAGE -> seq % NOT_A_TRADE_EVERY == NOT_A_TRADE_EVERY - 1 ? Kind.NOT_A_TRADE : Kind.TRADE;
            case OVERSIZED_RECORDS -> seq < options.oversized() ? Kind.OVERSIZED : Kind.TRADE;
            default -> Kind.TRADE;
        };
    }

    /** Sends every message at the target rate; a full buffer or an unreachable broker blocks the sender. */
    private void produce(KafkaSettings kafka) {
        TradeGenerator generator = new TradeGenerator(options.seed(), true);
        Random padding = new Random(options.seed());
        Properties props = KafkaClientProperties.producer(kafka, "trade-tx-chaos-producer");
        // Room for the padded trades of oversized-records (the topic's limit stays the broker's 1 MiB).
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * OVERSIZED_BYTES));
        long begin = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < messages(); i++) {
                if (rate() > 0 && i % 50 == 0) {
                    long wait = begin + (long) (i * 1e9 / rate()) - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                Trade t = generator.next(Instant.now());
                Kind kind = kindOf(i);
                produced.kind(i, kind);
                int seq = i;
                producer.send(new ProducerRecord<>(topic, t.accountId(), value(t, kind, padding)), (md, e) -> {
                    if (e == null) {
                        acked.incrementAndGet();
                        produced.acknowledged(seq, md.partition(), md.offset());
                    } else {
                        LOG.error("Send of message {} failed: {}", seq, e.toString());
                        produced.failed(seq);
                    }
                });
                sent = i + 1;
            }
            producer.flush();
        }
        LOG.info("Producer done: {} sent, {} acknowledged, {} failed", sent, acked.get(), produced.failedCount());
    }

    private static byte[] value(Trade t, Kind kind, Random random) {
        byte[] json = TradeJson.encode(t);
        return switch (kind) {
            case NOT_A_TRADE -> ("{\"trade_id\":\"" + t.tradeId() + "\",\"cut off here").getBytes(StandardCharsets.UTF_8);
            case OVERSIZED -> {
                // A valid trade with an unknown field: random letters, so compression cannot shrink it.
                StringBuilder sb = new StringBuilder(OVERSIZED_BYTES + 64).append("{\"padding\":\"");
                while (sb.length() < OVERSIZED_BYTES - json.length) {
                    sb.append((char) ('a' + random.nextInt(26)));
                }
                sb.append("\",").append(new String(json, 1, json.length - 1, StandardCharsets.UTF_8));
                yield sb.toString().getBytes(StandardCharsets.UTF_8);
            }
            default -> json;
        };
    }

    /** The fault's script, on top of the start and the final drain. */
    private List<Event> plan() {
        List<Event> events = new ArrayList<>();
        switch (options.fault()) {
            case KILLS -> {
                for (int i = 0; i < options.kills(); i++) {
                    events.add(atProgress(0.05 + 0.85 * i / Math.max(1, options.kills()), Action.KILL));
                }
                events.add(atProgress(0.22, Action.SCALE_OUT));
                events.add(atProgress(0.62, Action.SCALE_IN));
            }
            case BROKER_RESTART -> events.add(atProgress(0.4, Action.BROKER_RESTART));
            // Caught up (lag of a few batches): the batch in flight then holds records of several partitions,
            // some of which the scale-out moves away and some it leaves. If the pod never catches up, 30 s on.
            case SINK_OUTAGE_DURING_SCALE_OUT -> events.add(new Event(0.2, 3L * options.batchSize(),
                    System.nanoTime() + TimeUnit.SECONDS.toNanos(30), Action.SINK_DOWN));
            case SIGTERM_DURING_OUTAGE -> events.add(atProgress(0.2, Action.SINK_DOWN));
            case DLQ_OUTAGE -> events.add(after(options.outage(), Action.DLQ_UP));
            default -> {
                // sink-rejects-records and oversized-records: the messages themselves are the fault.
            }
        }
        events.sort(Comparator.comparingDouble(Event::atProgress));
        return events;
    }

    private static Event atProgress(double progress, Action action) {
        return new Event(progress, Long.MAX_VALUE, Long.MAX_VALUE, action);
    }

    private static Event after(Duration delay, Action action) {
        return new Event(Double.MAX_VALUE, Long.MAX_VALUE, System.nanoTime() + delay.toNanos(), action);
    }

    private enum Drive { DRAINED, STALLED, TIMED_OUT }

    /** Runs the plan until every event happened and the group has no lag, a stall past the budget, or the timeout. */
    private Drive drive(Admin admin, Thread producer, long start) throws Exception {
        List<Event> events = plan();
        GroupLagReader lagReader = new GroupLagReader(admin, topic, group);
        long deadline = start + options.timeout().toNanos();
        long lastEvent = 0;
        long gap = MIN_EVENT_GAP_NANOS;
        long nextStatus = System.nanoTime() + STATUS_INTERVAL_NANOS;
        long committed = 0;
        long lag = Long.MAX_VALUE;
        while (System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
            reap();
            replaceExited();
            try {
                List<GroupLagReader.PartitionLag> lags = lagReader.read();
                long now = System.nanoTime();
                for (GroupLagReader.PartitionLag l : lags) {
                    stalls.sample(now, l.partition(), l.committed(), l.lag());
                }
                committed = lags.stream().mapToLong(l -> Math.max(0, l.committed())).sum();
                lag = GroupLagReader.totalLag(lags);
            } catch (Exception e) {
                LOG.warn("Reading the group's lag failed (broker restarting?): {}", e.toString());
            }
            double progress = committed / (double) messages();
            long now = System.nanoTime();
            if (now >= nextStatus) {
                nextStatus = now + STATUS_INTERVAL_NANOS;
                LOG.info("Status: sent {} acked {}, committed {} ({}%), lag {}, consumers {}, longest stall {} s, "
                                + "events left {}", sent, acked.get(), committed,
                        String.format(Locale.ROOT, "%.1f", progress * 100), lag, members.size(),
                        String.format(Locale.ROOT, "%.1f", stalls.longestSeconds()), events.size());
            }
            if (stalls.longestSeconds() > options.stallBudget().toSeconds() + 5) {
                LOG.error("A partition has made no progress for {} s, past the {} s budget: stopping this fault",
                        String.format(Locale.ROOT, "%.1f", stalls.longestSeconds()), options.stallBudget().toSeconds());
                return Drive.STALLED;
            }
            long lagNow = lag;
            Event next = events.stream().filter(e -> e.due(progress, lagNow, now)).findFirst().orElse(null);
            if (next != null && now - lastEvent >= gap && pendingReplacements.isEmpty()) {
                events.remove(next);
                fire(next.action(), events);
                lastEvent = System.nanoTime();
                gap = next.action() == Action.KILL ? GAP_AFTER_KILL_NANOS : MIN_EVENT_GAP_NANOS;
            }
            if (!producer.isAlive() && events.isEmpty() && pendingReplacements.isEmpty() && lag == 0
                    && committed >= sent - produced.failedCount()) {
                LOG.info("Group lag is 0: {} committed of {} sent", committed, sent);
                return Drive.DRAINED;
            }
        }
        LOG.error("Timed out after {} s with lag {} and {} events left", options.timeout().toSeconds(), lag,
                events.size());
        return Drive.TIMED_OUT;
    }

    private void fire(Action action, List<Event> events) throws Exception {
        LOG.info("Chaos {}: {}", options.fault().cliName(), action.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        switch (action) {
            case KILL -> {
                if (members.isEmpty()) {
                    return;
                }
                Member victim = members.remove(random.nextInt(members.size()));
                kills++;
                LOG.info("Chaos: SIGKILL consumer-{} (pid {}), kill {}/{}", victim.id(), victim.process().pid(), kills,
                        options.kills());
                victim.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                pendingReplacements.add(System.nanoTime() + REPLACE_DELAY_NANOS);
            }
            case SCALE_OUT -> {
                scaleOuts++;
                startMembers(SCALE_STEP);
            }
            case SCALE_IN -> {
                // The oldest members: they own partitions and have a batch in flight, so the drain is tested.
                List<Member> leaving = new ArrayList<>(members.subList(0, Math.min(SCALE_STEP, members.size() - 1)));
                members.removeAll(leaving);
                terminate(leaving);
            }
            case BROKER_RESTART -> {
                brokerRestarts++;
                long t0 = System.nanoTime();
                stalls.beginExcuse(t0);
                broker.restart();
                stalls.endExcuse(System.nanoTime());
                LOG.info("Chaos: broker back after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            case SINK_DOWN -> {
                stalls.beginExcuse(System.nanoTime());
                control = control.withSinkDown(true);
                control.write(controlFile);
                if (options.fault() == Fault.SINK_OUTAGE_DURING_SCALE_OUT) {
                    events.add(after(Duration.ofSeconds(2), Action.SCALE_OUT));
                    events.add(after(options.outage(), Action.SINK_UP));
                } else {
                    events.add(after(Duration.ofSeconds(1), Action.SIGTERM_ALL));
                }
            }
            case SINK_UP -> {
                control = control.withSinkDown(false);
                control.write(controlFile);
                stalls.endExcuse(System.nanoTime());
            }
            case SIGTERM_ALL -> {
                List<Member> all = new ArrayList<>(members);
                members.clear();
                terminate(all);
                control = control.withSinkDown(false);
                control.write(controlFile);
                events.add(after(Duration.ZERO, Action.START_ALL));
            }
            case START_ALL -> {
                startMembers(options.consumers());
                stalls.endExcuse(System.nanoTime());
            }
            case DLQ_UP -> {
                try (Admin admin = Admin.create(KafkaClientProperties.admin(KafkaSettings.local(bootstrap, topic,
                        options.partitions()), "trade-tx-chaos-dlq-outage"))) {
                    TopicProvisioner.ensureTopic(admin, deadLetterTopic(), 1, (short) 1, Map.of());
                }
                stalls.endExcuse(System.nanoTime());
            }
        }
    }

    /**
     * The dead-letter outage: the topic is deleted (auto-create is off, as on MSK), so every dead letter
     * waits for metadata and fails, a retriable error, until it is created again. (Denying writes with an
     * ACL would be the other real outage, but an authorization error rightly stops a consumer: that tests
     * a crash. min.insync.replicas above the replicas cannot be set per topic under KRaft's ELR.)
     */
    private void deleteDeadLetterTopic(Admin admin) throws Exception {
        stalls.beginExcuse(System.nanoTime());
        LOG.info("Chaos {}: dead-letter topic {} deleted for {} s", options.fault().cliName(), deadLetterTopic(),
                options.outage().toSeconds());
        admin.deleteTopics(List.of(deadLetterTopic())).all().get(30, TimeUnit.SECONDS);
    }

    /** Waits until every consumer answers /ready 200 (it joined the group, after checking its topics). */
    private void awaitReady() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Member m : members) {
            while (true) {
                try {
                    if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.port() + "/ready"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline || !m.process().isAlive()) {
                    throw new IOException("consumer-" + m.id() + " did not become ready; see " + m.log());
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }

    /**
     * SIGTERM to each, as the kubelet sends it; whoever has not exited after the grace period is
     * SIGKILLed, as the kubelet does, and counted.
     */
    private void terminate(List<Member> leaving) throws InterruptedException {
        for (Member m : leaving) {
            LOG.info("Chaos: SIGTERM consumer-{} (pid {})", m.id(), m.process().pid());
            m.process().destroy();
            sigterms++;
        }
        long deadline = System.nanoTime() + options.grace().toNanos();
        for (Member m : leaving) {
            if (!m.process().waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                sigtermOverruns++;
                LOG.error("consumer-{} did not exit within the {} s grace period: SIGKILL; see {}", m.id(),
                        options.grace().toSeconds(), m.log());
                m.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } else if (m.process().exitValue() != 0 && m.process().exitValue() != 143) {
                crashes++;
                LOG.error("consumer-{} exited with {} after SIGTERM; see {}", m.id(), m.process().exitValue(), m.log());
            }
        }
    }

    /** Notices consumers that exited by themselves (a crash) and schedules their replacement. */
    private void reap() {
        for (var it = members.iterator(); it.hasNext(); ) {
            Member m = it.next();
            if (!m.process().isAlive()) {
                it.remove();
                crashes++;
                LOG.error("consumer-{} exited by itself with {}; see {}. Replacing it", m.id(),
                        m.process().exitValue(), m.log());
                pendingReplacements.add(System.nanoTime() + REPLACE_DELAY_NANOS);
            }
        }
    }

    private void replaceExited() throws IOException {
        long now = System.nanoTime();
        for (var it = pendingReplacements.iterator(); it.hasNext(); ) {
            if (it.next() <= now) {
                it.remove();
                startMember();
            }
        }
    }

    private void startMembers(int n) throws IOException {
        for (int i = 0; i < n; i++) {
            startMember();
        }
    }

    private void startMember() throws IOException {
        int id = nextMemberId++;
        Path ledger = options.workDir().resolve("consumer-" + id + ".ledger");
        Path log = options.workDir().resolve("consumer-" + id + ".log");
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("KAFKA_TOPIC", topic);
        env.put("CONSUMER_GROUP", group);
        env.put("GROUP_PROTOCOL", options.protocol().name().toLowerCase(Locale.ROOT));
        env.put("BATCH_SIZE", String.valueOf(options.batchSize()));
        // oversized-records: the seed's 1 s database write, so fetched records pile up as in production.
        env.put("BATCH_PROCESSING_TIME", String.valueOf(options.fault() == Fault.OVERSIZED_RECORDS
                ? OVERSIZED_BATCH_PROCESSING_SECONDS : options.batchProcessingTime()));
        env.put("MESSAGE_PROCESSING_TIME", "0");
        env.put("SINK", "ledger");
        env.put("LEDGER_FILE", ledger.toString());
        env.put("SHUTDOWN_GRACE_PERIOD_SECONDS", String.valueOf(options.grace().toSeconds()));
        int port = FreePort.find();
        env.put("METRICS_PORT", String.valueOf(port));
        env.put("HOSTNAME", "chaos-consumer-" + id);
        env.put(FaultControl.ENV, controlFile.toString());
        Member m = new Member(id, ChildJvm.start(ChildJvm.CONSUMER_POD_FLAGS, ChaosConsumerMain.class.getName(),
                List.of(), env, log), log, port);
        members.add(m);
        ledgers.add(ledger);
        LOG.info("Started consumer-{} (pid {}), {} running", id, m.process().pid(), members.size());
    }

    private void stopAll() throws InterruptedException {
        LOG.info("Stopping {} consumers with SIGTERM", members.size());
        List<Member> all = new ArrayList<>(members);
        members.clear();
        terminate(all);
    }

    /** Every record of the dead-letter topic: the source coordinates its headers name, if they all are there. */
    private List<LedgerCheck.DeadLetter> readDeadLetters(KafkaSettings kafka) {
        Properties props = KafkaClientProperties.common(kafka, "trade-tx-chaos-dlq-reader");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<LedgerCheck.DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(deadLetterTopic(), 0);
            reader.assign(List.of(tp));
            reader.seekToBeginning(List.of(tp));
            long end = reader.endOffsets(List.of(tp), Duration.ofSeconds(30)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (reader.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(500))) {
                    String source = header(r, DeadLetterPublisher.HEADER_TOPIC);
                    String partition = header(r, DeadLetterPublisher.HEADER_PARTITION);
                    String offset = header(r, DeadLetterPublisher.HEADER_OFFSET);
                    boolean context = topic.equals(source) && partition != null && offset != null
                            && header(r, DeadLetterPublisher.HEADER_ERROR) != null
                            && header(r, DeadLetterPublisher.HEADER_TIMESTAMP) != null;
                    out.add(context ? new LedgerCheck.DeadLetter(Integer.parseInt(partition), Long.parseLong(offset), true)
                            : new LedgerCheck.DeadLetter(-1, -1, false));
                }
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

}
