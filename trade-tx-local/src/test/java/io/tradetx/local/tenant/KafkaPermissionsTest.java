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

/** infra-tf/kafka-permissions.json: strict parsing, and the same grants as infra-tf/iam.tf's roles. */
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
     * Until the Terraform roles are built from the file, iam.tf's policy documents must grant exactly what
     * the file says: same statements (sid), same resource kind, same actions.
     */
    @Test
    void theFileGrantsExactlyWhatIamTfGrantsTheSingleTenantRoles() throws Exception {
        KafkaPermissions file = KafkaPermissions.load(TestSpecs.ROOT.resolve(KafkaPermissions.DEFAULT_PATH));
        String iam = Files.readString(TestSpecs.ROOT.resolve("infra-tf/iam.tf"));
        Map<String, String> workloadOfDocument = Map.of("producer", "producer", "consumer", "consumer",
                "keda", "keda-reader");
        Map<String, ResourceKind> kindOfLocal = Map.of("msk_cluster_arn", ResourceKind.CLUSTER,
                "msk_topic_arn", ResourceKind.TOPIC, "msk_dlq_arn", ResourceKind.DEAD_LETTER_TOPIC,
                "msk_group_arn", ResourceKind.GROUP);
        List<String> fromIam = new ArrayList<>();
        Matcher doc = Pattern.compile("data \"aws_iam_policy_document\" \"(\\w+)\" \\{(.*?)\\n}", Pattern.DOTALL)
                .matcher(iam);
        while (doc.find()) {
            String workload = workloadOfDocument.get(doc.group(1));
            if (workload == null) {
                continue; // the trust policy
            }
            Matcher st = Pattern.compile("statement \\{(.*?)\\n  }", Pattern.DOTALL).matcher(doc.group(2));
            while (st.find()) {
                String body = st.group(1);
                String sid = find(body, "sid\\s*=\\s*\"(\\w+)\"");
                String actions = find(body, "actions\\s*=\\s*\\[(.*?)]");
                String local = find(body, "resources\\s*=\\s*\\[local\\.(\\w+)]");
                fromIam.add(line(workload, sid, kindOfLocal.get(local),
                        new TreeSet<>(List.of(actions.replaceAll("[\"\\s]", "").split(",")))));
            }
        }
        List<String> fromFile = new ArrayList<>();
        file.workloads().forEach((workload, statements) -> {
            for (Statement s : statements) {
                fromFile.add(line(workload, s.sid(), s.resource(), new TreeSet<>(s.actions())));
            }
        });
        assertThat(fromIam).hasSize(11);
        assertThat(fromFile).containsExactlyInAnyOrderElementsOf(fromIam);
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
