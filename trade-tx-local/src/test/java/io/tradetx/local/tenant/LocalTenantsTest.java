package io.tradetx.local.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.common.kafka.KafkaAuth;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.TestSpecs;
import io.tradetx.local.scale.LayeredSettings;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenants of a local run read as the deploy scripts read them (.env.example, .env, then the shell), each with
 * its own consumer settings and ScaledObject rendered from k8s/scaledobject.yaml; bad names and settings stop the
 * run before any broker starts, naming the tenant.
 */
class LocalTenantsTest {
    private static final String YAML = read(TestSpecs.ROOT.resolve("k8s/scaledobject.yaml"));

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A repository root with the real .env.example and this .env. */
    private static Path repo(Path dir, String env) throws IOException {
        Files.copy(TestSpecs.ROOT.resolve(".env.example"), dir.resolve(".env.example"));
        Files.writeString(dir.resolve(".env"), env);
        return dir;
    }

    @Test
    void eachTenantGetsItsOwnNamesAndSettingsFromEnvFilesThenTheShell(@TempDir Path dir) throws IOException {
        Path root = repo(dir, """
                TENANTS=acme
                TENANT_ACME_LAG_THRESHOLD=7000
                TENANT_A_RATE_THRESHOLD=45
                TENANT_A_LAG_THRESHOLD=1500
                TENANT_A_BATCH_SIZE=50
                TENANT_B_MAX_REPLICAS=6
                """);
        Map<String, String> settings = LocalTenants.settings(root, Map.of("TENANT_A_LAG_THRESHOLD", "1200",
                "PATH", "/usr/bin", "TENANT_B_MESSAGES_PER_SECOND", "75"));
        assertThat(settings).doesNotContainKey("PATH").containsEntry("TENANT_A_LAG_THRESHOLD", "1200");
        List<LocalTenant> tenants = LocalTenants.resolve(settings, "a,b");
        assertThat(tenants).extracting(LocalTenant::name).containsExactly("a", "b");
        LocalTenant a = tenants.get(0);
        LocalTenant b = tenants.get(1);
        assertThat(a.resources()).isEqualTo(new TenantResources("a", "trade-tx-a", "trade-tx-a.dlq", "trade-tx-consumer-a"));
        assertThat(a.namespace()).isEqualTo("trade-tx-a");
        assertThat(b.ownRate()).isEqualTo(75);
        assertThat(a.ownRate()).isNull();

        ScaledObjectSpec specA = a.scaledObject(YAML, Map.of());
        ScaledObjectSpec specB = b.scaledObject(YAML, Map.of());
        assertThat(specA.kafka().topic()).isEqualTo("trade-tx-a");
        assertThat(specA.kafka().consumerGroup()).isEqualTo("trade-tx-consumer-a");
        assertThat(specA.kafka().lagThreshold()).as("the shell's value wins over .env").isEqualTo(1200);
        assertThat(specA.rate().threshold()).as("RATE_THRESHOLD is a tenant's own").isEqualTo(45);
        assertThat(specA.rate().query()).contains("topic=\"trade-tx-a\"");
        assertThat(specB.rate().threshold()).isEqualTo(90);
        assertThat(specB.maxReplicaCount()).isEqualTo(6);
        assertThat(b.scaledObject(YAML, Map.of("LAG_THRESHOLD", "900")).kafka().lagThreshold()).as("--set wins")
                .isEqualTo(900);

        ConsumerSettings consumer = a.consumerSettings(Map.of("KAFKA_AUTH", "iam", "SINK", "simulated"));
        assertThat(consumer.batchSize()).isEqualTo(50);
        assertThat(consumer.consumerGroup()).isEqualTo("trade-tx-consumer-a");
        assertThat(consumer.deadLetterTopic()).isEqualTo("trade-tx-a.dlq");
        assertThat(consumer.kafka().auth()).as("the login comes from the local broker").isEqualTo(KafkaAuth.NONE);
        assertThat(consumer.kafka().topicReplicationFactor()).as("one local broker").isEqualTo((short) 1);
        assertThat(a.partitions()).isEqualTo(24);
        assertThat(LocalTenants.resolve(settings, "acme,a,b").get(0).scaledObject(YAML, Map.of()).kafka().lagThreshold())
                .isEqualTo(7000);
        assertThatThrownBy(() -> LocalTenants.resolve(settings, "")).as("no names: the TENANTS of .env, whose"
                + " settings then name undeclared tenants").hasMessageStartingWith("TENANT_A_RATE_THRESHOLD is not a"
                + " per-tenant setting");
    }

    /**
     * Every value a tenant's run uses says where it came from: .env.example alone, .env, the shell, an option for
     * every tenant (over the tenant's own), the tenant's own TENANT_<NAME>_<SETTING> from any layer, or its name.
     */
    @Test
    void eachTenantSettingSaysWhereItCameFrom(@TempDir Path dir) throws IOException {
        Path root = repo(dir, """
                BATCH_TIMEOUT_SECONDS=0.5
                TENANT_A_LAG_THRESHOLD=500
                TENANT_A_MAX_REPLICAS=8
                SINK_JDBC_PASSWORD=hunter2
                """);
        LayeredSettings layers = LayeredSettings.load(root, Map.of("BATCH_SIZE", "250", "PATH", "/usr/bin",
                "TENANT_B_MESSAGES_PER_SECOND", "75"));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("GROUP_PROTOCOL", "consumer");
        options.put("MAX_REPLICAS", "12");
        options.put("TENANT_B_LAG_THRESHOLD", "900");
        List<LocalTenant> tenants = LocalTenants.resolve(layers, "a,b", options);
        LocalTenant a = tenants.get(0);
        LocalTenant b = tenants.get(1);
        List<String> names = List.of("MESSAGE_PROCESSING_TIME", "BATCH_TIMEOUT_SECONDS", "BATCH_SIZE",
                "GROUP_PROTOCOL", "MAX_REPLICAS", "LAG_THRESHOLD", "KAFKA_TOPIC", "DLQ_TOPIC", "CONSUMER_GROUP",
                "K8S_NAMESPACE", "SINK_JDBC_PASSWORD", "NOT_SET");
        assertThat(a.describe(names)).containsExactly(
                "MESSAGE_PROCESSING_TIME=0 (.env.example)",
                "BATCH_TIMEOUT_SECONDS=0.5 (.env)",
                "BATCH_SIZE=250 (environment)",
                "GROUP_PROTOCOL=consumer (option)",
                "MAX_REPLICAS=12 (option)",
                "TENANT_A_LAG_THRESHOLD=500 (.env)",
                "KAFKA_TOPIC=trade-tx-a (derived from tenant a)",
                "DLQ_TOPIC=trade-tx-a.dlq (derived from tenant a)",
                "CONSUMER_GROUP=trade-tx-consumer-a (derived from tenant a)",
                "K8S_NAMESPACE=trade-tx-a (derived from tenant a)",
                "SINK_JDBC_PASSWORD=<redacted> (.env)");
        assertThat(b.describe(List.of("LAG_THRESHOLD", "MESSAGES_PER_SECOND", "MAX_REPLICAS"))).containsExactly(
                "TENANT_B_LAG_THRESHOLD=900 (option)",
                "TENANT_B_MESSAGES_PER_SECOND=75 (environment)",
                "MAX_REPLICAS=12 (option)");

        // The lines describe the values the run uses.
        assertThat(a.settings()).containsEntry("LAG_THRESHOLD", "500").containsEntry("MAX_REPLICAS", "12");
        assertThat(a.scaledObject(YAML, Map.of()).kafka().lagThreshold()).isEqualTo(500);
        assertThat(a.scaledObject(YAML, Map.of()).maxReplicaCount()).as("an option wins over the tenant's own")
                .isEqualTo(12);
        assertThat(b.scaledObject(YAML, Map.of()).kafka().lagThreshold()).isEqualTo(900);
        assertThat(b.ownRate()).isEqualTo(75);
        ConsumerSettings consumer = a.consumerSettings(Map.of());
        assertThat(consumer.batchSize()).isEqualTo(250);
        assertThat(consumer.batchTimeout().toMillis()).isEqualTo(500);
        assertThat(consumer.groupProtocol().name()).isEqualTo("CONSUMER");

        // As the run prints them: per tenant, the settings it uses (the ScaledObject's when it autoscales).
        Files.createDirectories(root.resolve("k8s"));
        Files.writeString(root.resolve("k8s/scaledobject.yaml"), YAML);
        TenantLocal.Request r = new TenantLocal.Request("a,b", 200, null, null, 6, null, -1, null, null, 1, null,
                true, options);
        List<String> printed = TenantLocal.settingsLines(r, LocalTenants.resolve(layers, "a,b",
                TenantLocal.options(r)), root);
        assertThat(printed).contains("  tenant a:", "    TENANT_A_LAG_THRESHOLD=500 (.env)",
                "    KAFKA_TOPIC=trade-tx-a (derived from tenant a)", "    TOPIC_PARTITIONS=6 (option)",
                "    K8S_NAMESPACE=trade-tx-a (derived from tenant a)", "  tenant b:",
                "    TENANT_B_MESSAGES_PER_SECOND=75 (environment)", "    TENANT_B_LAG_THRESHOLD=900 (option)")
                .doesNotContain("    TENANT_A_MESSAGES_PER_SECOND", "    SINK_JDBC_PASSWORD=<redacted> (.env)")
                .noneMatch(line -> line.contains("hunter2"));
        assertThat(printed.stream().filter(line -> line.startsWith("    MAX_REPLICAS=12 (option)"))).hasSize(2);
    }

    @Test
    void badNamesAndSettingsStopTheRunNamingTheTenant(@TempDir Path dir) throws IOException {
        Map<String, String> none = LocalTenants.settings(repo(dir, ""), Map.of());
        assertThatThrownBy(() -> LocalTenants.resolve(none, "A,b")).hasMessage("--tenants: 'A' is not a tenant name:"
                + " 1-20 lower-case letters, digits and dashes, starting with a letter");
        assertThatThrownBy(() -> LocalTenants.resolve(none, "a,a")).hasMessage("--tenants: 'a' is listed twice");
        assertThatThrownBy(() -> LocalTenants.resolve(none, "default"))
                .hasMessageContaining("'default' is reserved");
        assertThatThrownBy(() -> LocalTenants.resolve(none, "")).hasMessageStartingWith("--tenants: name the tenants");
        Map<String, String> shared = new HashMap<>(none);
        shared.put("TENANT_B_KAFKA_TOPIC", "trade-tx-a");
        assertThatThrownBy(() -> LocalTenants.resolve(shared, "a,b"))
                .hasMessage("tenant b shares the topic trade-tx-a with tenant a: every tenant needs its own");
        Map<String, String> stray = new HashMap<>(none);
        stray.put("TENANT_C_LAG_THRESHOLD", "1");
        assertThatThrownBy(() -> LocalTenants.resolve(stray, "a,b")).hasMessageStartingWith(
                "TENANT_C_LAG_THRESHOLD is not a per-tenant setting");
        Map<String, String> rate = new HashMap<>(none);
        rate.put("TENANT_A_MESSAGES_PER_SECOND", "fast");
        assertThatThrownBy(() -> LocalTenants.resolve(rate, "a")).hasMessage(
                "TENANT_A_MESSAGES_PER_SECOND=fast is invalid: must be an integer from 0 to 1000000");
        Map<String, String> batch = new HashMap<>(none);
        batch.put("TENANT_A_BATCH_SIZE", "abc");
        batch.put("TENANT_A_TOPIC_PARTITIONS", "0");
        LocalTenant a = LocalTenants.resolve(batch, "a").get(0);
        assertThatThrownBy(() -> a.consumerSettings(Map.of())).isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("tenant a: BATCH_SIZE=abc is invalid: must be an integer from 1 to 100000")
                .hasMessageContaining("tenant a: TOPIC_PARTITIONS=0 is invalid: must be an integer from 1 to 10000");
        assertThatThrownBy(a::partitions).hasMessage(
                "tenant a: TOPIC_PARTITIONS=0 is invalid: must be an integer from 1 to 10000");
    }

    @Test
    void theFairnessScenarioRunsInClusterTimeAndAScaledObjectMustReadTheTenantsTopic(@TempDir Path dir)
            throws IOException {
        Path root = repo(dir, "TENANT_B_MESSAGES_PER_SECOND=70\n");
        Files.createDirectories(root.resolve("k8s"));
        Files.writeString(root.resolve("k8s/scaledobject.yaml"), YAML);
        List<LocalTenant> tenants = LocalTenants.resolve(LocalTenants.settings(root, Map.of()), "a,b");
        List<TenantPlan> free = TenantLocal.plans(request(null, 10, 200), tenants, root);
        assertThat(free.get(0).initialRate()).isEqualTo(200);
        assertThat(free.get(1).initialRate()).as("its own TENANT_B_MESSAGES_PER_SECOND").isEqualTo(70);
        assertThat(free.get(0).spec().kafka().lagThreshold()).isEqualTo(2000);
        assertThat(free.get(0).spec().pollingIntervalMillis()).isEqualTo(3000);
        List<TenantPlan> fair = TenantLocal.plans(request(TenantLocal.FAIRNESS, 10, 200), tenants, root);
        assertThat(fair).allMatch(p -> p.initialRate() == 0 && p.spec().kafka().lagThreshold() == 200);

        Path fixed = root.resolve("fixed.yaml");
        Files.writeString(fixed, YAML.replace("${KAFKA_TOPIC}", "trade-tx"));
        TenantLocal.Request r = new TenantLocal.Request("a,b", 200, null, null, null, null, -1, null, fixed, 1, null,
                true, Map.of());
        assertThatThrownBy(() -> TenantLocal.plans(r, tenants, root)).hasMessageContaining(
                "tenant a: the ScaledObject " + fixed + " reads topic trade-tx and group trade-tx-consumer-a, not the"
                        + " tenant's trade-tx-a and trade-tx-consumer-a");
    }

    private static TenantLocal.Request request(String scenario, double speedup, int rate) {
        return new TenantLocal.Request("a,b", rate, null, null, null, null, -1, null, null, speedup, scenario, true,
                Map.of());
    }
}
