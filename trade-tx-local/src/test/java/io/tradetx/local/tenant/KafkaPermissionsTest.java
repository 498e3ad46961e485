package io.tradetx.local.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradetx.local.TestSpecs;
import io.tradetx.local.tenant.KafkaPermissions.ResourceKind;
import io.tradetx.local.tenant.KafkaPermissions.Statement;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * infra-tf/kafka-permissions.json: strict parsing, the grants the single-tenant roles had, and
 * infra-tf/iam.tf building every tenant's roles from it.
 */
class KafkaPermissionsTest {
    static final String VALID_STATEMENT = "{\"sid\":\"S\",\"resource\":\"topic\",\"actions\":[\"kafka-cluster:ReadData\"],"
            + "\"why\":\"w\"}";

    @Test
    void theFileNamesTheThreeWorkloadsOfATenant() throws Exception {
        KafkaPermissions p = KafkaPermissions.load(TestSpecs.ROOT.resolve(KafkaPermissions.DEFAULT_PATH));
        assertThat(p.workloads().keySet()).containsExactly("producer", "consumer", "keda-reader");
        assertThatThrownBy(() -> p.statements("keda")).hasMessageContaining("No workload 'keda'");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"workloads\":{\"w\":[VALID]},\"extra\":1}                | extra: unknown field (allowed: description, workloads)",
        "{\"workloads\":{}}                                          | workloads: must be an object with at least one workload",
        "{\"workloads\":{\"w\":[]}}                                  | workloads.w: must be a non-empty list of statements",
        "{\"workloads\":{\"w\":[{\"sid\":\"S\",\"resource\":\"any\",\"actions\":[\"kafka-cluster:ReadData\"],\"why\":\"w\"}]}} | workloads.w[0].resource: 'any' is not one of cluster, topic, dead_letter_topic, group",
        "{\"workloads\":{\"w\":[{\"sid\":\"S\",\"resource\":\"topic\",\"actions\":[\"kafka-cluster:*\"],\"why\":\"w\"}]}} | workloads.w[0].actions: 'kafka-cluster:*' is not one named kafka-cluster: action (no wildcards)",
        "{\"workloads\":{\"w\":[{\"sid\":\"S\",\"resource\":\"topic\",\"actions\":[],\"why\":\"w\"}]}} | workloads.w[0].actions: must be a non-empty list",
        "{\"workloads\":{\"w\":[{\"resource\":\"topic\",\"actions\":[\"kafka-cluster:ReadData\"],\"why\":\"w\"}]}} | workloads.w[0].sid: must be a non-empty string",
        "{\"workloads\":{\"w\":[VALID, {\"sid\":\"S\",\"resource\":\"topic\",\"actions\":[\"kafka-cluster:ReadData\"],\"why\":\"w\",\"Effect\":\"Deny\"}]}} | workloads.w[1].Effect: unknown field (allowed: actions, resource, sid, why)",
        "[1]                                                        | must be a JSON object",
    })
    void aMalformedFileIsRejectedNamingWhere(String json, String message) {
        assertThatThrownBy(() -> KafkaPermissions.parse(json.replace("VALID", VALID_STATEMENT)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    /**
     * infra-tf/iam.tf builds every tenant's roles from this file through the kafka-tenant-policies module,
     * and writes no Kafka grant of its own.
     */
    @Test
    void iamTfBuildsEveryTenantsRolesFromTheFileThroughTheModule() throws Exception {
        String iam = Files.readString(TestSpecs.ROOT.resolve("infra-tf/iam.tf"));
        assertThat(iam).contains("kafka_permissions = jsondecode(file(\"${path.module}/kafka-permissions.json\"))");
        String module = find(iam, "module \"tenant_kafka_policies\" \\{(.*?)\\n}");
        assertThat(module.replaceAll("\\s+", " ")).contains("source = \"./modules/kafka-tenant-policies\"",
                "workloads = local.kafka_permissions.workloads", "cluster_arn = local.msk_cluster_arn",
                "for name, tenant in var.tenants : name => {",
                "topic_arn = \"${local.msk_topic_arn_prefix}/${tenant.topic}\"",
                "dead_letter_topic_arn = \"${local.msk_topic_arn_prefix}/${tenant.dead_letter_topic}\"",
                "group_arn = \"${local.msk_group_arn_prefix}/${tenant.consumer_group}\"",
                "role_name_prefix = tenant.iam_role_prefix");
        assertThat(iam).contains("tenant_roles = module.tenant_kafka_policies.role_policies");
        for (String resource : List.of("resource \"aws_iam_role\" \"tenant\"", "resource \"aws_iam_role_policy\" \"tenant_msk\"")) {
            assertThat(find(iam, Pattern.quote(resource) + " \\{(.*?)\\n}")).as(resource)
                    .contains("for_each = local.tenant_roles");
        }
        assertThat(find(iam, "resource \"aws_iam_role_policy\" \"tenant_msk\" \\{(.*?)\\n}")).contains("policy = each.value.policy");
        try (var tf = Files.newDirectoryStream(TestSpecs.ROOT.resolve("infra-tf"), "*.tf")) {
            for (var file : tf) {
                List<String> grants = Files.readAllLines(file).stream()
                        .filter(l -> l.contains("kafka-cluster:") && !l.strip().startsWith("#")).toList();
                assertThat(grants).as(file + ": Kafka actions belong in kafka-permissions.json").isEmpty();
            }
        }
    }

    /**
     * The module's tftest states, statement by statement, what infra-tf/iam.tf granted the single-tenant
     * producer, consumer and KEDA roles before the module built them; those statements are this file's.
     * (The tftest then checks that the module renders exactly them.)
     */
    @Test
    void theFileGrantsExactlyWhatTheSingleTenantRolesWereGranted() throws Exception {
        KafkaPermissions file = KafkaPermissions.load(TestSpecs.ROOT.resolve(KafkaPermissions.DEFAULT_PATH));
        String tftest = Files.readString(TestSpecs.ROOT.resolve(
                "infra-tf/modules/kafka-tenant-policies/tests/policies.tftest.hcl"));
        String run = find(tftest, "run \"documents_match_the_single_tenant_roles\" \\{(.*?)\\n}");
        Map<String, ResourceKind> kindOfArn = Map.of("var.cluster_arn", ResourceKind.CLUSTER,
                "topic_arn", ResourceKind.TOPIC, "dead_letter_topic_arn", ResourceKind.DEAD_LETTER_TOPIC,
                "group_arn", ResourceKind.GROUP);
        List<String> fromTftest = new ArrayList<>();
        Matcher document = Pattern.compile("output\\.policies\\[\"\\w+\"]\\[\"([\\w-]+)\"]\\)\\.Statement == \\[(.*?)\\n    ]",
                Pattern.DOTALL).matcher(run);
        while (document.find()) {
            Matcher st = Pattern.compile("\\{ Sid = \"(\\w+)\", Effect = \"Allow\", Action = \\[(.*?)], Resource = \\[([\\w.]+)] }")
                    .matcher(document.group(2));
            while (st.find()) {
                String arn = st.group(3);
                ResourceKind kind = kindOfArn.get(arn.equals("var.cluster_arn") ? arn : arn.substring(arn.lastIndexOf('.') + 1));
                fromTftest.add(line(document.group(1), st.group(1), kind,
                        new TreeSet<>(List.of(st.group(2).replaceAll("[\"\\s]", "").split(",")))));
            }
        }
        List<String> fromFile = new ArrayList<>();
        file.workloads().forEach((workload, statements) -> {
            for (Statement s : statements) {
                fromFile.add(line(workload, s.sid(), s.resource(), new TreeSet<>(s.actions())));
            }
        });
        assertThat(fromTftest).as("statements of producer, consumer and keda-reader in the tftest").hasSize(11);
        assertThat(fromFile).containsExactlyInAnyOrderElementsOf(fromTftest);
    }

    private static String line(String workload, String sid, ResourceKind kind, TreeSet<String> actions) {
        return workload + " " + sid + " " + kind + " " + actions;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex, Pattern.DOTALL).matcher(text);
        assertThat(m.find()).as(regex + " in " + text).isTrue();
        return m.group(1);
    }
}
