package io.tradetx.local.tenant;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.http.AppHttpServer;
import io.tradetx.common.http.Metrics;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.common.kafka.KafkaAuth;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.lifecycle.Termination;
import io.tradetx.consumer.sink.Sinks;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.local.run.LocalRun;
import io.tradetx.local.scale.LocalAutoscaler;
import io.tradetx.local.view.LiveConsole;
import io.tradetx.local.view.LiveView;
import io.tradetx.local.view.ScalingDisplay;
import io.tradetx.local.view.TenantBlocks;
import io.tradetx.local.view.TenantPanel;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import io.tradetx.testkit.BrokerSecurity;
import io.tradetx.testkit.LocalKafkaBroker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./trade-tx local --tenants a,b}: one secured broker (SASL/SCRAM, the KRaft StandardAuthorizer, deny by
 * default) with each tenant's producer, consumer and keda-reader logins and exactly the ACLs that
 * infra-tf/kafka-permissions.json gives their IAM roles; per tenant its topics (created by the harness, as
 * Terraform creates them on AWS), a producer, autoscaled consumer pods and its own KEDA twin on a thread of its own
 * (KEDA runs one scale loop per ScaledObject), reading its lag with its keda-reader login. Threads are named after
 * the tenant ({@code a-producer}, {@code a-consumer-3}, {@code a-keda}), so every log line says whose it is.
 */
public final class TenantRun {
    private static final Logger LOG = LoggerFactory.getLogger(TenantRun.class);
    /** The tag of a tenant's meters: its namespace, the label Prometheus gives its pods' series on Kubernetes. */
    public static final String METER_TAG = "namespace";
    /** The workloads of infra-tf/kafka-permissions.json a local tenant runs, each with its own login. */
    static final List<String> WORKLOADS = List.of("producer", "consumer", "keda-reader");
    private static final Duration ACL_TIMEOUT = Duration.ofSeconds(30);
    private static final long TICK_MILLIS = 100;

    /**
     * What the run needs besides the tenants.
     *
     * @param fixedConsumers consumers per tenant without autoscaling, or null to autoscale with each tenant's spec
     * @param permissions    infra-tf/kafka-permissions.json
     */
    public record Options(List<TenantPlan> tenants, Integer fixedConsumers, Duration duration, int metricsPort,
                          Duration startDelay, InputStream input, boolean liveView, Path permissions) {
    }

    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch scalingStop = new CountDownLatch(1);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final List<RunningTenant> running = new ArrayList<>();
    private final List<Thread> scalingThreads = new ArrayList<>();
    private final List<Admin> readers = new ArrayList<>();
    private volatile long startNanos;

    /** Runs until the duration, the scenario's end, q or Ctrl-C; 0 on a clean stop, 1 when a tenant's twin failed. */
    public int run(Options options, TenantScenario scenario) throws Exception {
        Termination.onSignal(stop::countDown);
        KafkaPermissions permissions = KafkaPermissions.load(options.permissions());
        List<String> users = new ArrayList<>();
        for (TenantPlan plan : options.tenants()) {
            for (String workload : WORKLOADS) {
                permissions.statements(workload);
                users.add(plan.tenant().resources().username(workload));
            }
        }
        BrokerSecurity security = BrokerSecurity.withRandomPasswords(users);
        LiveConsole live = options.liveView() ? LiveConsole.start() : null;
        LocalKafkaBroker broker = null;
        try {
            String starting = "Starting a local Kafka broker (KRaft, single node) with SASL/SCRAM and ACLs for tenants "
                    + String.join(", ", options.tenants().stream().map(TenantPlan::name).toList()) + "...";
            LOG.info("{}", starting);
            if (live != null) {
                live.say(starting);
            }
            Path dir = live != null ? live.workDir().resolve("kafka") : Files.createTempDirectory("trade-tx-kafka-");
            broker = LocalKafkaBroker.start(dir, true, 0, Map.of(), security);
            try (Admin root = Admin.create(KafkaClientProperties.admin(broker.adminSettings("-", 1),
                    "trade-tx-local-admin"))) {
                prepare(root, permissions, options.tenants());
                runTenants(options, broker, scenario, live);
            }
        } finally {
            LocalRun.stopBroker(broker, live);
        }
        if (failure.get() != null) {
            System.err.println(failure.get());
            return 1;
        }
        return 0;
    }

    /** The ACLs of every tenant's logins, then its topics, as the harness's super-user (Terraform's part on AWS). */
    private static void prepare(Admin root, KafkaPermissions permissions, List<TenantPlan> tenants) throws Exception {
        List<AclBinding> grants = new ArrayList<>();
        for (TenantPlan plan : tenants) {
            for (Map.Entry<String, List<AclBinding>> e : IamAclMapping.tenantBindings(permissions,
                    plan.tenant().resources()).entrySet()) {
                grants.addAll(e.getValue());
                LOG.info("ACLs of {} (infra-tf/kafka-permissions.json, workload {}): {}",
                        IamAclMapping.principal(plan.tenant().resources().username(e.getKey())), e.getKey(),
                        String.join(", ", e.getValue().stream().map(b -> b.entry().operation() + " "
                                + b.pattern().resourceType() + " " + b.pattern().name()).toList()));
            }
        }
        AclAdmin.grant(root, grants, ACL_TIMEOUT);
        for (TenantPlan plan : tenants) {
            TenantResources r = plan.tenant().resources();
            TopicProvisioner.ensureTopic(root, r.topic(), plan.partitions(), (short) 1, Map.of());
            TopicProvisioner.ensureTopic(root, r.deadLetterTopic(), 1, (short) 1, Map.of());
            LOG.info("Tenant {}: topic {} ({} partitions), dead-letter topic {}, group {}, namespace {}", plan.name(),
                    r.topic(), plan.partitions(), r.deadLetterTopic(), r.group(), plan.tenant().namespace());
        }
    }

    private void runTenants(Options options, LocalKafkaBroker broker, TenantScenario scenario, LiveConsole live)
            throws Exception {
        PrometheusMeterRegistry registry = Metrics.newRegistryWithJvmMetrics();
        AppHttpServer http = null;
        try {
            List<IsolationProbe.Logins> logins = new ArrayList<>();
            for (TenantPlan plan : options.tenants()) {
                logins.add(start(plan, options, broker, registry));
            }
            if (logins.size() > 1) {
                for (String denial : IsolationProbe.check(logins)) {
                    LOG.info("Isolation check: {}", denial);
                }
            }
            http = options.metricsPort() < 0 ? null : AppHttpServer.start(options.metricsPort(), registry, () -> true);
            if (http != null) {
                LOG.info("Metrics available at :{}/metrics (each tenant's series labelled {}=<its namespace>)",
                        http.port(), METER_TAG);
            }
            for (RunningTenant t : running) {
                new Thread(t.producer(), t.name() + "-producer").start();
            }
            startNanos = System.nanoTime();
            for (RunningTenant t : running) {
                Thread thread = new Thread(() -> scale(t), t.name() + "-keda");
                thread.setDaemon(true);
                scalingThreads.add(thread);
                thread.start();
            }
            if (scenario != null) {
                scenario.start(List.copyOf(running));
            }
            LiveView view = live == null ? null : live.showTenants(running.stream().map(t -> new TenantPanel(t.name(),
                    t.context(), t.scaling(), Tag.of(METER_TAG, t.namespace()))).toList(),
                    scenario == null ? null : () -> scenario.describe(elapsedMillis()));
            if (options.input() != null) {
                readInput(options.input(), view);
                LOG.info("Type a tenant and a rate (e.g. {} 1000) and Enter to change its load; q or Ctrl-C to stop",
                        running.get(0).name());
            }
            long deadline = options.duration() == null ? Long.MAX_VALUE
                    : startNanos + options.duration().toNanos();
            while (!stop.await(TICK_MILLIS, TimeUnit.MILLISECONDS) && System.nanoTime() < deadline
                    && failure.get() == null) {
                long elapsed = elapsedMillis();
                if (scenario != null && !scenario.step(elapsed)) {
                    break;
                }
                if (view != null) {
                    view.tick(elapsed);
                }
            }
            LOG.info("Stopping: producers first, then every tenant's consumers finish their batches and commit");
            if (live != null) {
                live.hide();
                live.say("Stopping: producers first, then consumers finish their batches and commit...");
            }
        } finally {
            stopTenants();
            if (http != null) {
                http.close();
            }
        }
    }

    /** Starts nothing yet: builds the tenant's clients with its own logins. Returns its logins for the probe. */
    private IsolationProbe.Logins start(TenantPlan plan, Options options, LocalKafkaBroker broker,
                                        PrometheusMeterRegistry registry) {
        TenantResources r = plan.tenant().resources();
        BrokerSecurity security = broker.security();
        ConsumerSettings base = plan.consumer();
        // KafkaSettings' short constructor drops the SASL login: build the local settings, then log in.
        KafkaSettings local = new KafkaSettings(broker.bootstrapServers(), r.topic(), KafkaAuth.NONE, null,
                plan.partitions(), (short) 1, base.kafka().clientOverrides());
        KafkaSettings producerLogin = local.withScram(security.user(r.username("producer")));
        KafkaSettings consumerLogin = local.withScram(security.user(r.username("consumer")));
        KafkaSettings readerLogin = local.withScram(security.user(r.username("keda-reader")));
        ConsumerSettings consumer = base.withKafka(consumerLogin);
        LOG.info("Tenant {}: consumer settings {}", plan.name(), consumer.describe());
        Tags tags = Tags.of(METER_TAG, plan.tenant().namespace());
        MessageAges ages = new MessageAges();
        TradeProducer producer = new TradeProducer(producerLogin, "trade-tx-producer-" + plan.name(),
                plan.initialRate(), TradeGenerator.random(), registry, tags);
        ConsumerPool pool = new ConsumerPool(consumer, registry, pod -> {
            try {
                return new AgeRecordingSink(Sinks.fromSettings(consumer), ages);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, options.startDelay(), plan.name() + "-", tags);
        Admin reader = Admin.create(KafkaClientProperties.admin(readerLogin, "keda-" + plan.name()));
        readers.add(reader);
        GroupLagReader lag = new GroupLagReader(reader, r.topic(), r.group());
        LocalRun.Scaling scaling = new Synchronized(options.fixedConsumers() != null
                ? LocalRun.fixed(options.fixedConsumers()) : new LocalAutoscaler(plan.spec(), null, tags));
        LocalRun.RunContext ctx = new LocalRun.RunContext(consumerLogin, consumer, producer, pool, lag, registry);
        running.add(new RunningTenant(plan, ctx, scaling, ages));
        return new IsolationProbe.Logins(r, consumerLogin, reader);
    }

    /** A tenant's KEDA twin: its KEDA polls and HPA syncs when they are due, until the run stops. */
    private void scale(RunningTenant t) {
        try {
            t.scaling().start(t.context());
            while (true) {
                if (!t.scaling().tick(elapsedMillis())) {
                    return;
                }
                long wait = Math.max(1, Math.min(TICK_MILLIS, t.scaling().nextDueMillis() - elapsedMillis()));
                if (scalingStop.await(wait, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception | Error e) {
            LOG.error("Tenant {}: the local KEDA twin stopped: {}", t.name(), e.toString(), e);
            failure.compareAndSet(null, "tenant " + t.name() + ": the local KEDA twin stopped: " + e);
            stop.countDown();
        }
    }

    private long elapsedMillis() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Twins first (no scaling while pods drain), then producers, then all tenants' pods drain together. */
    private void stopTenants() throws InterruptedException {
        scalingStop.countDown();
        for (Thread t : scalingThreads) {
            t.join(TimeUnit.SECONDS.toMillis(10));
        }
        for (RunningTenant t : running) {
            t.scaling().stop();
            t.producer().close();
        }
        for (RunningTenant t : running) {
            t.producer().awaitClosed(Duration.ofSeconds(20));
            t.pool().scaleTo(0);
        }
        for (RunningTenant t : running) {
            t.pool().close();
        }
        readers.forEach(Admin::close);
    }

    /** Typed lines: {@code a 1000} sets tenant a's rate, q stops; the live view shows either. */
    private void readInput(InputStream in, LiveView view) {
        List<String> names = running.stream().map(RunningTenant::name).toList();
        Map<String, RunningTenant> byName = new LinkedHashMap<>();
        running.forEach(t -> byName.put(t.name(), t));
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    TenantRateLine typed = TenantRateLine.parse(line, names);
                    String feedback = null;
                    if (typed instanceof TenantRateLine.Quit) {
                        stop.countDown();
                        return;
                    } else if (typed instanceof TenantRateLine.Rate rate) {
                        byName.get(rate.tenant()).producer().setRate(rate.rate());
                        feedback = TenantBlocks.rateSet(rate.tenant(), rate.rate(), elapsedMillis());
                        LOG.info("{}", feedback);
                    } else if (typed instanceof TenantRateLine.Invalid invalid) {
                        feedback = invalid.why();
                        LOG.warn("{}", feedback);
                    }
                    if (view != null) {
                        view.entered(feedback);
                    }
                }
            } catch (IOException e) {
                // no terminal: nothing to read
            }
        }, "rate-input");
        t.setDaemon(true);
        t.start();
    }

    /** A tenant's scaling, ticked on its twin's thread and shown by the view's: one at a time. */
    private static final class Synchronized implements LocalRun.Scaling {
        private final LocalRun.Scaling inner;

        Synchronized(LocalRun.Scaling inner) {
            this.inner = inner;
        }

        @Override
        public synchronized void start(LocalRun.RunContext context) throws Exception {
            inner.start(context);
        }

        @Override
        public synchronized boolean tick(long elapsedMillis) throws Exception {
            return inner.tick(elapsedMillis);
        }

        @Override
        public synchronized long nextDueMillis() {
            return inner.nextDueMillis();
        }

        @Override
        public synchronized void stop() {
            inner.stop();
        }

        @Override
        public synchronized ScalingDisplay display(long elapsedMillis, int maxEvents) {
            return inner.display(elapsedMillis, maxEvents);
        }
    }
}
