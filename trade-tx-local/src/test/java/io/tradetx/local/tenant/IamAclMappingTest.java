package io.tradetx.local.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.tradetx.local.TestSpecs;
import io.tradetx.local.tenant.KafkaPermissions.ResourceKind;
import io.tradetx.local.tenant.KafkaPermissions.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per IAM action -> Kafka ACL rule, the rejected cases, and the real permissions file's result. */
class IamAclMappingTest {
    static final TenantResources A = new TenantResources("a", "trade-tx-a", "trade-tx-a.dlq", "trade-tx-consumer-a");
    static final String PRINCIPAL = "User:a-consumer";

    static List<String> map(String action, ResourceKind kind) {
        return IamAclMapping.bindings(PRINCIPAL, List.of(new Statement("S", kind, List.of(action), "test")), A)
                .stream().map(IamAclMapping::describe).toList();
    }

    @Test
    void connectNeedsNoAclBecauseAuthenticatingIsTheConnect() {
        assertThat(map("kafka-cluster:Connect", ResourceKind.CLUSTER)).isEmpty();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "kafka-cluster:DescribeTopic,         TOPIC,             User:a-consumer ALLOW DESCRIBE TOPIC trade-tx-a",
        "kafka-cluster:DescribeTopic,         DEAD_LETTER_TOPIC, User:a-consumer ALLOW DESCRIBE TOPIC trade-tx-a.dlq",
        "kafka-cluster:ReadData,              TOPIC,             User:a-consumer ALLOW READ TOPIC trade-tx-a",
        "kafka-cluster:WriteData,             TOPIC,             User:a-consumer ALLOW WRITE TOPIC trade-tx-a",
        "kafka-cluster:WriteData,             DEAD_LETTER_TOPIC, User:a-consumer ALLOW WRITE TOPIC trade-tx-a.dlq",
        "kafka-cluster:CreateTopic,           DEAD_LETTER_TOPIC, User:a-consumer ALLOW CREATE TOPIC trade-tx-a.dlq",
        "kafka-cluster:WriteDataIdempotently, CLUSTER,           User:a-consumer ALLOW IDEMPOTENT_WRITE CLUSTER kafka-cluster",
        "kafka-cluster:DescribeGroup,         GROUP,             User:a-consumer ALLOW DESCRIBE GROUP trade-tx-consumer-a",
        "kafka-cluster:AlterGroup,            GROUP,             User:a-consumer ALLOW READ GROUP trade-tx-consumer-a",
    })
    void eachActionBecomesOneLiteralAllowOnTheTenantsOwnResource(String action, ResourceKind kind, String expected) {
        assertThat(map(action, kind)).containsExactly(expected);
        AclBinding b = IamAclMapping.bindings(PRINCIPAL, List.of(new Statement("S", kind, List.of(action), "t")), A)
                .get(0);
        assertThat(b.pattern().patternType()).isEqualTo(PatternType.LITERAL);
        assertThat(b.entry().host()).isEqualTo("*");
        assertThat(b.entry().permissionType()).isEqualTo(AclPermissionType.ALLOW);
    }

    @Test
    void createTopicIsGrantedOnTheNamedTopicNotOnTheCluster() {
        // CREATE on the cluster would let the tenant create any topic, including another tenant's name.
        assertThat(IamAclMapping.rule("kafka-cluster:CreateTopic", ResourceKind.TOPIC).orElseThrow().type())
                .isEqualTo(ResourceType.TOPIC);
        assertThatThrownBy(() -> map("kafka-cluster:CreateTopic", ResourceKind.CLUSTER))
                .hasMessage("kafka-cluster:CreateTopic does not apply to a cluster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kafka-cluster:DeleteTopic", "kafka-cluster:AlterCluster", "kafka-cluster:DescribeCluster",
        "kafka-cluster:DeleteGroup", "kafka-cluster:AlterTransactionalId", "kafka-cluster:*"})
    void anActionWithoutARuleIsRefusedRatherThanDropped(String action) {
        assertThatThrownBy(() -> map(action, ResourceKind.CLUSTER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(action + " has no Kafka ACL mapping here; add a rule to IamAclMapping before granting it");
    }

    @ParameterizedTest(name = "{0} on {1}")
    @CsvSource({
        "kafka-cluster:ReadData,              GROUP",
        "kafka-cluster:AlterGroup,            TOPIC",
        "kafka-cluster:DescribeGroup,         DEAD_LETTER_TOPIC",
        "kafka-cluster:WriteDataIdempotently, TOPIC",
        "kafka-cluster:DescribeTopic,         CLUSTER",
        "kafka-cluster:Connect,               GROUP",
    })
    void anActionOnAKindItDoesNotApplyToIsRefused(String action, ResourceKind kind) {
        assertThatThrownBy(() -> map(action, kind)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(action);
    }

    @Test
    void theRealPermissionsFileGivesEachWorkloadExactlyTheseBindings() throws Exception {
        KafkaPermissions permissions = KafkaPermissions.load(TestSpecs.ROOT.resolve(KafkaPermissions.DEFAULT_PATH));
        Map<String, List<AclBinding>> acls = IamAclMapping.tenantBindings(permissions, A);
        assertThat(acls.get("producer")).map(IamAclMapping::describe).containsExactlyInAnyOrder(
                "User:a-producer ALLOW IDEMPOTENT_WRITE CLUSTER kafka-cluster",
                "User:a-producer ALLOW DESCRIBE TOPIC trade-tx-a",
                "User:a-producer ALLOW WRITE TOPIC trade-tx-a",
                "User:a-producer ALLOW CREATE TOPIC trade-tx-a");
        assertThat(acls.get("consumer")).map(IamAclMapping::describe).containsExactlyInAnyOrder(
                "User:a-consumer ALLOW IDEMPOTENT_WRITE CLUSTER kafka-cluster",
                "User:a-consumer ALLOW DESCRIBE TOPIC trade-tx-a",
                "User:a-consumer ALLOW READ TOPIC trade-tx-a",
                "User:a-consumer ALLOW DESCRIBE TOPIC trade-tx-a.dlq",
                "User:a-consumer ALLOW WRITE TOPIC trade-tx-a.dlq",
                "User:a-consumer ALLOW CREATE TOPIC trade-tx-a.dlq",
                "User:a-consumer ALLOW DESCRIBE GROUP trade-tx-consumer-a",
                "User:a-consumer ALLOW READ GROUP trade-tx-consumer-a");
        assertThat(acls.get("keda-reader")).map(IamAclMapping::describe).containsExactlyInAnyOrder(
                "User:a-keda-reader ALLOW DESCRIBE TOPIC trade-tx-a",
                "User:a-keda-reader ALLOW DESCRIBE GROUP trade-tx-consumer-a");
    }

    /** Whatever the tenants are called, a tenant's bindings name its own resources (and the cluster) only. */
    @Test
    void aTenantsBindingsNeverNameAnotherTenantsResources() throws Exception {
        KafkaPermissions permissions = KafkaPermissions.load(TestSpecs.ROOT.resolve(KafkaPermissions.DEFAULT_PATH));
        // Any two different tenant names of 1 to 9 letters.
        qt().withExamples(200).forAll(strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 8),
                strings().betweenCodePoints('A', 'Z').ofLengthBetween(1, 8)).checkAssert((x, y) -> {
            String nameA = x.toLowerCase(Locale.ROOT);
            String nameB = y.toLowerCase(Locale.ROOT) + "b";
            if (nameA.equals(nameB)) {
                return;
            }
            TenantResources a = new TenantResources(nameA, "t-" + nameA, "t-" + nameA + ".dlq", "g-" + nameA);
            TenantResources b = new TenantResources(nameB, "t-" + nameB, "t-" + nameB + ".dlq", "g-" + nameB);
            for (TenantResources[] pair : new TenantResources[][] {{a, b}, {b, a}}) {
                TenantResources self = pair[0];
                TenantResources other = pair[1];
                IamAclMapping.tenantBindings(permissions, self).values().stream().flatMap(List::stream).forEach(binding -> {
                    assertThat(binding.pattern().name()).isIn(self.topic(), self.deadLetterTopic(), self.group(),
                            IamAclMapping.CLUSTER_RESOURCE_NAME);
                    assertThat(binding.pattern().name()).isNotIn(other.topic(), other.deadLetterTopic(), other.group());
                    assertThat(binding.pattern().patternType()).isEqualTo(PatternType.LITERAL);
                    assertThat(binding.entry().principal()).startsWith("User:" + self.tenant() + "-");
                    assertThat(binding.entry().operation()).isNotIn(AclOperation.ALL, AclOperation.ALTER,
                            AclOperation.DELETE, AclOperation.CLUSTER_ACTION, AclOperation.ALTER_CONFIGS);
                });
            }
        });
    }
}
