package io.tradetx.local.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.kafka.SaslCredentials;
import io.tradetx.common.kafka.TopicProvisioner;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.ConsumerMain;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.MicrobatchConsumer;
import io.tradetx.consumer.sink.SimulatedDbSink;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.local.TestSpecs;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.producer.TradeProducer;
import io.tradetx.testkit.BrokerSecurity;
import io.tradetx.testkit.ChildJvm;
import io.tradetx.testkit.FreePort;
import io.tradetx.testkit.LocalKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two tenants on one secured broker (SASL/SCRAM, KRaft StandardAuthorizer, deny by default), each
 * workload logged in as {@code <tenant>-<workload>} with exactly the ACLs that
 * infra-tf/kafka-permissions.json gives its IAM role. Proves that the real producer and consumer work
 * with those ACLs, that tenant a's logins reach nothing of tenant b's, that KEDA's reader computes lag
 * without reading records, and what each consumer binding is for. The tests share the broker and run in
 * order: the later ones deny access to the data and offsets the first one created. Every denial is
 * printed at the end and written to target/tenant-isolation-denials.txt.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TenantIsolationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int PARTITIONS = 3;
    private static final int TRADES = 200;
    private static final List<String> WORKLOADS = List.of("producer", "consumer", "keda-reader");
    private static final byte[] POISON = "not a trade".getBytes(StandardCharsets.UTF_8);

    private final TenantResources a = tenant("a");
    private final TenantResources b = tenant("b");
    /** One tenant per consumer binding, whose consumer gets every binding but that one. */
    private final Map<TenantResources, AclBinding> ablations = new LinkedHashMap<>();
    private final List<String> denials = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Admin> admins = new HashMap<>();
    /** Valid trades each tenant's producer had acknowledged when it closed. */
    private final Map<TenantResources, Long> produced = new HashMap<>();
    private KafkaPermissions permissions;
    private LocalKafkaBroker broker;
    private Admin root;
    private Path work;

    static TenantResources tenant(String name) {
        return new TenantResources(name, "trade-tx-" + name, "trade-tx-" + name + ".dlq", "trade-tx-consumer-" + name);
    }

    @BeforeAll
    void startSecuredBrokerWithTenantAcls() throws Exception {
        permissions = KafkaPermissions.load(TestSpecs.ROOT.resolve(KafkaPermissions.DEFAULT_PATH));
        int consumerBindings = IamAclMapping.tenantBindings(permissions, tenant("c0")).get("consumer").size();
        for (int i = 0; i < consumerBindings; i++) {
            TenantResources t = tenant("c" + i);
            ablations.put(t, IamAclMapping.tenantBindings(permissions, t).get("consumer").get(i));
        }
        List<String> users = new ArrayList<>();
        for (TenantResources t : List.of(a, b)) {
            WORKLOADS.forEach(w -> users.add(t.username(w)));
        }
        ablations.keySet().forEach(t -> users.add(t.username("consumer")));
        broker = LocalKafkaBroker.startSecured(BrokerSecurity.withRandomPasswords(users));
        root = Admin.create(KafkaClientProperties.admin(broker.adminSettings("-", 1), "test-root"));
        assertThat(AclAdmin.all(root, TIMEOUT)).as("a fresh broker has no ACLs").isEmpty();
        List<AclBinding> grants = new ArrayList<>();
        for (TenantResources t : List.of(a, b)) {
            IamAclMapping.tenantBindings(permissions, t).values().forEach(grants::addAll);
        }
        ablations.forEach((t, removed) -> grants.addAll(IamAclMapping.tenantBindings(permissions, t).get("consumer")
                .stream().filter(binding -> !binding.equals(removed)).toList()));
        AclAdmin.grant(root, grants, TIMEOUT);
        work = Files.createTempDirectory("tenant-isolation-");
    }

    @AfterAll
    void stopAndRecordDenials() throws Exception {
        admins.values().forEach(Admin::close);
        if (root != null) {
            root.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (work != null) {
            try (var files = Files.walk(work)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(f);
                }
            }
        }
        if (!denials.isEmpty()) {
            String table = String.join("\n", denials);
            System.out.println("Denials on the secured broker (principal | attempt | error):\n" + table);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target", "tenant-isolation-denials.txt"), table + "\n");
        }
    }

    @Test
    @Order(1)
    void eachTenantsRealProducerAndConsumerWorkWithExactlyItsAcls() throws Exception {
        for (TenantResources t : List.of(a, b)) {
            List<AclBinding> mapped = IamAclMapping.tenantBindings(permissions, t).values().stream()
                    .flatMap(List::stream).toList();
            assertThat(AclAdmin.all(root, TIMEOUT)).filteredOn(
                    binding -> binding.entry().principal().startsWith("User:" + t.tenant() + "-"))
                    .as("the broker holds exactly the mapped ACLs of tenant %s, nothing more", t.tenant())
                    .containsExactlyInAnyOrderElementsOf(mapped);
        }
        for (TenantResources t : List.of(a, b)) {
            produceAsTheTenant(t);
        }
        for (TenantResources t : List.of(a, b)) {
            assertThat(GroupLagReader.totalLag(lagAs(t.username("keda-reader"), t)))
                    .as("KEDA's reader sees every record of %s as lag before any consumer runs", t.tenant())
                    .isEqualTo(produced.get(t) + 1);
        }
        Map<TenantResources, Process> consumers = new LinkedHashMap<>();
        for (TenantResources t : List.of(a, b)) {
            consumers.put(t, startConsumer(t, credentials(t.username("consumer"))));
        }
        try {
            for (TenantResources t : List.of(a, b)) {
                await().atMost(Duration.ofSeconds(60)).until(
                        () -> GroupLagReader.totalLag(lagAs(t.username("keda-reader"), t)) == 0);
                assertThat(Files.readAllLines(ledger(t))).as("every trade of %s stored", t.tenant())
                        .hasSize(produced.get(t).intValue());
                assertThat(deadLetters(t)).as("the invalid message of %s went to its own DLQ", t.tenant())
                        .containsExactly("not a trade");
            }
        } finally {
            for (Process p : consumers.values()) {
                p.destroy();
            }
        }
        for (Map.Entry<TenantResources, Process> e : consumers.entrySet()) {
            assertThat(e.getValue().waitFor(30, TimeUnit.SECONDS)).isTrue();
            String log = ChildJvm.output(consumerLog(e.getKey()));
            assertThat(e.getValue().exitValue()).as(log).isZero();
            assertThat(log).contains("auth=scram, sasl_username=" + e.getKey().username("consumer")
                    + ", sasl_password=<redacted>");
            assertThat(log).doesNotContain(credentials(e.getKey().username("consumer")).password());
        }
    }

    @Test
    @Order(2)
    void tenantAsLoginsCannotReadWriteDescribeOrJoinAnythingOfTenantB() throws Exception {
        String consumer = a.username("consumer");
        String producer = a.username("producer");
        assertThat(root.listConsumerGroupOffsets(b.group()).partitionsToOffsetAndMetadata().get())
                .as("b's group has committed offsets to protect").isNotEmpty();

        for (String topic : List.of(b.topic(), b.deadLetterTopic())) {
            denied(consumer, "subscribe to " + topic + " in its own group", TopicAuthorizationException.class,
                    () -> pollUntilError(consumer, a.group(), c -> c.subscribe(List.of(topic))));
            denied(consumer, "fetch " + topic + " partition 0 (assigned)", TopicAuthorizationException.class,
                    () -> pollUntilError(consumer, a.group(), c -> c.assign(List.of(new TopicPartition(topic, 0)))));
            denied(consumer, "describe " + topic, TopicAuthorizationException.class,
                    () -> admin(consumer).describeTopics(List.of(topic)).allTopicNames().get());
            denied(consumer, "list offsets of " + topic, TopicAuthorizationException.class,
                    () -> admin(consumer).listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
                            .all().get());
            denied(consumer, "delete " + topic, TopicAuthorizationException.class,
                    () -> admin(consumer).deleteTopics(List.of(topic)).all().get());
        }
        denied(producer, "produce to " + b.topic(), TopicAuthorizationException.class,
                () -> send(KafkaClientProperties.producer(settings(producer, b.topic()), "deny"), b.topic()));
        denied(consumer, "produce to " + b.deadLetterTopic() + " (as its dead-letter producer)",
                TopicAuthorizationException.class,
                () -> send(KafkaClientProperties.deadLetterProducer(settings(consumer, b.deadLetterTopic()), "deny"),
                        b.deadLetterTopic()));
        denied(producer, "create topic " + b.topic() + "-extra", TopicAuthorizationException.class,
                () -> admin(producer).createTopics(List.of(new NewTopic(b.topic() + "-extra", 1, (short) 1)))
                        .all().get());
        assertThat(admin(consumer).listTopics().names().get()).as("a's topic list")
                .containsExactlyInAnyOrder(a.topic(), a.deadLetterTopic());

        denied(consumer, "join group " + b.group() + " (on its own topic)", GroupAuthorizationException.class,
                () -> pollUntilError(consumer, b.group(), c -> c.subscribe(List.of(a.topic()))));
        denied(consumer, "describe group " + b.group(), GroupAuthorizationException.class,
                () -> admin(consumer).describeConsumerGroups(List.of(b.group())).all().get());
        denied(consumer, "list committed offsets of " + b.group(), GroupAuthorizationException.class,
                () -> admin(consumer).listConsumerGroupOffsets(b.group()).partitionsToOffsetAndMetadata().get());
        denied(consumer, "commit offsets for " + b.group(), GroupAuthorizationException.class,
                () -> admin(consumer).alterConsumerGroupOffsets(b.group(),
                        Map.of(new TopicPartition(b.topic(), 0), new OffsetAndMetadata(0))).all().get());
        denied(consumer, "delete group " + b.group(), GroupAuthorizationException.class,
                () -> admin(consumer).deleteConsumerGroups(List.of(b.group())).all().get());
        assertThat(admin(consumer).listGroups().all().get()).as("a's group list")
                .allMatch(g -> g.groupId().equals(a.group()));
        denied(a.username("keda-reader"), "read the lag of " + b.group(), TopicAuthorizationException.class,
                () -> lagAs(a.username("keda-reader"), b));

        AclBinding grab = new AclBinding(new ResourcePattern(ResourceType.TOPIC, b.topic(), PatternType.LITERAL),
                new AccessControlEntry(IamAclMapping.principal(consumer), "*", AclOperation.READ, AclPermissionType.ALLOW));
        denied(consumer, "grant itself READ on " + b.topic(), ClusterAuthorizationException.class,
                () -> admin(consumer).createAcls(List.of(grab)).all().get());
        denied(consumer, "list ACLs", ClusterAuthorizationException.class,
                () -> admin(consumer).describeAcls(AclBindingFilter.ANY).values().get());
        denied(consumer, "change " + b.username("consumer") + "'s password", ClusterAuthorizationException.class,
                () -> admin(consumer).alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(
                        b.username("consumer"), new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        "taken-over"))).all().get());
        denied(consumer + " with b's password", "log in", SaslAuthenticationException.class, () -> {
            KafkaSettings wrong = settings(consumer, a.topic()).withScram(
                    new SaslCredentials(consumer, credentials(b.username("consumer")).password()));
            try (Admin admin = Admin.create(KafkaClientProperties.admin(wrong, "deny-login"))) {
                admin.listTopics().names().get();
            }
        });
    }

    @Test
    @Order(3)
    void kedasReaderComputesItsTenantsLagButCannotReadRecordsJoinCommitOrWrite() throws Exception {
        String keda = a.username("keda-reader");
        List<GroupLagReader.PartitionLag> lag = lagAs(keda, a);
        assertThat(lag).hasSize(PARTITIONS).allMatch(p -> p.committed() > 0 && p.logEnd() == p.committed());
        denied(keda, "fetch records of " + a.topic() + " (assigned, own group)", TopicAuthorizationException.class,
                () -> pollUntilError(keda, a.group(), c -> c.assign(List.of(new TopicPartition(a.topic(), 0)))));
        denied(keda, "join group " + a.group(), GroupAuthorizationException.class,
                () -> pollUntilError(keda, a.group(), c -> c.subscribe(List.of(a.topic()))));
        denied(keda, "commit offsets for " + a.group(), GroupAuthorizationException.class,
                () -> admin(keda).alterConsumerGroupOffsets(a.group(),
                        Map.of(new TopicPartition(a.topic(), 0), new OffsetAndMetadata(0))).all().get());
        denied(keda, "produce to " + a.topic() + " (idempotent producer's InitProducerId)",
                ClusterAuthorizationException.class,
                () -> send(KafkaClientProperties.producer(settings(keda, a.topic()), "deny"), a.topic()));
        // Least privilege the other way round: the producer cannot read what it writes, nor see the group.
        String producer = a.username("producer");
        denied(producer, "fetch records of " + a.topic() + " (assigned, no group)", TopicAuthorizationException.class,
                () -> pollUntilError(producer, null, c -> c.assign(List.of(new TopicPartition(a.topic(), 0)))));
        denied(producer, "list committed offsets of " + a.group(), GroupAuthorizationException.class,
                () -> admin(producer).listConsumerGroupOffsets(a.group()).partitionsToOffsetAndMetadata().get());
    }

    /** What the consumer does when one of its bindings is missing; each case runs as its own tenant. */
    enum Outcome { WORKS, STOPS }

    /**
     * The consumer's start-up (create its DLQ, as ConsumerMain does) and loop (MicrobatchConsumer) run in
     * this JVM, one thread per ablation tenant, so that eight cases cost no more than one. A case that
     * stops or stalls is then probed with the same login and request to name the broker's error.
     */
    @Test
    @Order(4)
    void removingAnyOneConsumerBindingShowsWhatItIsFor() throws Exception {
        Map<String, Outcome> expected = Map.of(
                "READ TOPIC trade-tx-c", Outcome.STOPS,
                "READ GROUP trade-tx-consumer-c", Outcome.STOPS,
                "CREATE TOPIC trade-tx-c.dlq", Outcome.STOPS,
                // A dead-letter authorization error is fatal (no retry can fix it): the consumer stops at the
                // first invalid message, committing nothing of that batch.
                "WRITE TOPIC trade-tx-c.dlq", Outcome.STOPS,
                // Kafka's ACL implications make these redundant locally; MSK IAM still needs them.
                "DESCRIBE TOPIC trade-tx-c", Outcome.WORKS, // READ implies DESCRIBE
                "DESCRIBE TOPIC trade-tx-c.dlq", Outcome.WORKS, // WRITE implies DESCRIBE
                "DESCRIBE GROUP trade-tx-consumer-c", Outcome.WORKS, // READ implies DESCRIBE
                "IDEMPOTENT_WRITE CLUSTER kafka-cluster", Outcome.WORKS); // WRITE on any topic suffices (KIP-679)
        root.createTopics(ablations.keySet().stream().map(t -> new NewTopic(t.topic(), 2, (short) 1)).toList())
                .all().get();
        // The harness seeds each topic with 20 trades and one invalid message (the producer is not under test).
        TradeGenerator generator = new TradeGenerator(7, true);
        try (KafkaProducer<String, byte[]> seed = new KafkaProducer<>(
                KafkaClientProperties.producer(broker.adminSettings("-", 2), "seed"))) {
            for (TenantResources t : ablations.keySet()) {
                for (int i = 0; i < 20; i++) {
                    var trade = generator.next(java.time.Instant.now());
                    seed.send(new ProducerRecord<>(t.topic(), trade.accountId(), TradeJson.encode(trade)));
                }
                seed.send(new ProducerRecord<>(t.topic(), null, POISON));
            }
            seed.flush();
        }
        List<Ablation> runs = new ArrayList<>();
        for (Map.Entry<TenantResources, AclBinding> e : ablations.entrySet()) {
            runs.add(new Ablation(e.getKey(), e.getValue()));
        }
        runs.forEach(Ablation::start);
        List<String> results = new ArrayList<>();
        try {
            for (Ablation run : runs) {
                Outcome want = expected.get(run.removed);
                assertThat(want).as("an expectation for %s", run.removed).isNotNull();
                TenantResources t = run.tenant;
                String user = t.username("consumer");
                switch (want) {
                    case WORKS -> await().atMost(Duration.ofSeconds(60)).until(
                            () -> GroupLagReader.totalLag(lagAs(null, t)) == 0 && deadLetters(t).size() == 1);
                    case STOPS -> await().atMost(Duration.ofSeconds(60)).until(run::stopped);
                }
                String attempt = "consume without " + run.removed;
                if (want == Outcome.STOPS && run.startError != null) {
                    denied(user, attempt + " (create its DLQ at start)", TopicAuthorizationException.class,
                            () -> {
                                throw run.startError;
                            });
                } else if (want == Outcome.STOPS && run.removed.startsWith("WRITE TOPIC")) {
                    assertThat(run.consumer.hasFailed()).as("stopped by a fatal error").isTrue();
                    assertThat(GroupLagReader.totalLag(lagAs(null, t)))
                            .as("the batch with the invalid message stays uncommitted").isPositive();
                    assertThat(deadLetters(t)).as("no dead letter written").isEmpty();
                    denied(user, attempt + " (same login: its dead-letter producer)", TopicAuthorizationException.class,
                            () -> send(KafkaClientProperties.deadLetterProducer(settings(user, t.deadLetterTopic()),
                                    "probe"), t.deadLetterTopic()));
                } else if (want == Outcome.STOPS) {
                    assertThat(run.consumer.hasFailed()).as("stopped by a fatal error").isTrue();
                    Class<? extends Throwable> error = run.removed.startsWith("READ GROUP")
                            ? GroupAuthorizationException.class : TopicAuthorizationException.class;
                    denied(user, attempt + " (same login: subscribe and poll)", error,
                            () -> pollUntilError(user, t.group(), c -> c.subscribe(List.of(t.topic()))));
                } else {
                    assertThat(run.stopped()).isFalse();
                    assertThat(run.sinkFailures()).isZero();
                }
                results.add(String.format("without %-40s -> %s", run.removed, want));
            }
        } finally {
            runs.forEach(Ablation::close);
            for (Ablation run : runs) {
                run.join();
            }
        }
        System.out.println("Consumer with one binding removed:\n" + String.join("\n", results));
    }

    /** One ablation tenant's consumer, started as ConsumerMain starts it but on a thread of this JVM. */
    private final class Ablation {
        final TenantResources tenant;
        final String removed;
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        volatile Exception startError;
        volatile MicrobatchConsumer consumer;
        volatile Thread loop;

        Ablation(TenantResources tenant, AclBinding removed) {
            this.tenant = tenant;
            this.removed = IamAclMapping.describe(removed).replaceAll("^User:\\S+ ALLOW ", "")
                    .replaceAll("-c\\d+", "-c");
        }

        void start() {
            loop = new Thread(this::run, "ablation-" + tenant.tenant());
            loop.start();
        }

        private void run() {
            KafkaSettings kafka = settings(tenant.username("consumer"), tenant.topic());
            ConsumerSettings settings = TestConsumers.settings(kafka, tenant.group(), 100, Duration.ofMillis(100),
                    Duration.ZERO, GroupProtocol.CLASSIC);
            try (Admin admin = Admin.create(KafkaClientProperties.admin(kafka, tenant.username("consumer")))) {
                TopicProvisioner.ensureTopic(admin, settings.deadLetterTopic(), 1, (short) 1, Map.of());
            } catch (Exception e) {
                startError = e;
                return;
            }
            consumer = MicrobatchConsumer.create(settings, tenant.username("consumer"),
                    new SimulatedDbSink(Duration.ZERO, Duration.ZERO), registry, Tags.empty());
            consumer.run();
        }

        boolean stopped() {
            return !loop.isAlive();
        }

        double sinkFailures() {
            return registry.find("kafka.consumer.sink.failures").counter().count();
        }

        void close() {
            if (consumer != null) {
                consumer.close();
            }
        }

        void join() throws InterruptedException {
            loop.join(TIMEOUT.toMillis());
        }
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void produceAsTheTenant(TenantResources t) throws Exception {
        KafkaSettings settings = settings(t.username("producer"), t.topic());
        // As ProducerMain does: the producer provisions its own topic with its own login.
        try (Admin admin = Admin.create(KafkaClientProperties.admin(settings, "producer-admin"))) {
            TopicProvisioner.ensureTopic(admin, t.topic(), PARTITIONS, (short) 1, Map.of());
        }
        TradeProducer producer = new TradeProducer(settings, t.username("producer"), 500, TradeGenerator.random(),
                new SimpleMeterRegistry());
        Thread loop = new Thread(producer, "producer-" + t.tenant());
        loop.start();
        await().atMost(TIMEOUT).until(() -> producer.acknowledged() >= TRADES || producer.fatalError() != null);
        producer.setRate(0);
        producer.close();
        loop.join(TIMEOUT.toMillis());
        assertThat(producer.fatalError()).isNull();
        assertThat(producer.failedSends()).isZero();
        produced.put(t, producer.acknowledged());
        // One invalid message, sent with the same login, for the consumer's dead-letter path.
        send(KafkaClientProperties.producer(settings, "poison"), t.topic());
    }

    private void send(Properties props, String topic) throws Exception {
        try (KafkaProducer<Object, Object> p = new KafkaProducer<>(withByteSerializers(props))) {
            p.send(new ProducerRecord<>(topic, null, POISON)).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private static Properties withByteSerializers(Properties props) {
        props.put("key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        props.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        props.put("max.block.ms", "15000");
        props.put("delivery.timeout.ms", "15000");
        props.put("request.timeout.ms", "10000");
        return props;
    }

    private Process startConsumer(TenantResources t, SaslCredentials login) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("KAFKA_TOPIC", t.topic());
        env.put("DLQ_TOPIC", t.deadLetterTopic());
        env.put("CONSUMER_GROUP", t.group());
        env.put("KAFKA_AUTH", "scram");
        env.put("KAFKA_SASL_USERNAME", login.username());
        env.put("KAFKA_SASL_PASSWORD", login.password());
        env.put("TOPIC_PARTITIONS", String.valueOf(PARTITIONS));
        env.put("BATCH_SIZE", "100");
        env.put("BATCH_PROCESSING_TIME", "0");
        env.put("METRICS_PORT", String.valueOf(FreePort.find()));
        env.put("SINK", "ledger");
        env.put("LEDGER_FILE", ledger(t).toString());
        return ChildJvm.start(ConsumerMain.class, env, consumerLog(t));
    }

    private Path ledger(TenantResources t) {
        return work.resolve(t.tenant() + "-ledger.txt");
    }

    private Path consumerLog(TenantResources t) {
        return work.resolve(t.tenant() + "-consumer.log");
    }

    private SaslCredentials credentials(String username) {
        return broker.security().user(username);
    }

    private KafkaSettings settings(String username, String topic) {
        return broker.userSettings(username, topic, PARTITIONS);
    }

    private synchronized Admin admin(String username) {
        return admins.computeIfAbsent(username, u -> Admin.create(KafkaClientProperties.admin(settings(u, "-"),
                "test-" + u)));
    }

    /** The lag of the tenant's group as read with {@code username}'s login (null: the harness's super-user). */
    private List<GroupLagReader.PartitionLag> lagAs(String username, TenantResources t) throws Exception {
        Admin admin = username == null ? root : admin(username);
        return new GroupLagReader(admin, t.topic(), t.group()).read();
    }

    /** The values on the tenant's dead-letter topic, read by the harness. */
    private List<String> deadLetters(TenantResources t) throws Exception {
        if (!root.listTopics().names().get().contains(t.deadLetterTopic())) {
            return List.of();
        }
        Properties props = KafkaClientProperties.consumer(broker.adminSettings(t.deadLetterTopic(), 1), "dlq-reader",
                "dlq-reader", GroupProtocol.CLASSIC, 100);
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            TopicPartition tp = new TopicPartition(t.deadLetterTopic(), 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
                    values.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }

    /**
     * Polls with {@code username}'s consumer login until the broker refuses something (or fails the test);
     * a null group polls assigned partitions without any group.
     */
    private void pollUntilError(String username, String group,
                                java.util.function.Consumer<KafkaConsumer<String, byte[]>> setup) {
        Properties props = KafkaClientProperties.consumer(settings(username, "-"), "deny-" + username,
                group == null ? "unused" : group, GroupProtocol.CLASSIC, 10);
        if (group == null) {
            props.remove("group.id");
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props)) {
            setup.accept(c);
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200));
            }
        }
        fail("no error within " + TIMEOUT.toSeconds() + " s");
    }

    interface Attempt {
        void run() throws Exception;
    }

    /** Runs an attempt that must be refused with {@code expected} somewhere in its cause chain, and records it. */
    private void denied(String principal, String attempt, Class<? extends Throwable> expected, Attempt action) {
        Throwable thrown = null;
        try {
            action.run();
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).as("%s: %s must be refused", principal, attempt).isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (expected.isInstance(t)) {
                String message = String.valueOf(t.getMessage());
                record(principal, attempt, t.getClass().getSimpleName() + ": "
                        + (message.length() > 110 ? message.substring(0, 110) + "..." : message));
                return;
            }
        }
        throw new AssertionError(principal + ": " + attempt + " failed with " + thrown + ", not " + expected.getName(),
                thrown);
    }

    private void record(String principal, String attempt, String error) {
        denials.add(principal + " | " + attempt + " | " + error);
    }

    /** The first Kafka authorization or authentication error named in a log, with its message. */
    private static String firstAuthorizationError(String log) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "org\\.apache\\.kafka\\.common\\.errors\\.(\\w+(Authorization|Authentication)Exception)(: [^\\n]*)?")
                .matcher(log);
        return m.find() ? m.group(1) + (m.group(3) == null ? "" : m.group(3)) : null;
    }

}
