package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.deploy.RenderedManifests.Manifest;
import io.tradetx.local.TestSpecs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two tenants' manifests as deploy-*.sh --tenant renders them (scripts/lib.sh itself): nothing one
 * tenant's objects name belongs to the other, each tenant scales with its own settings, its
 * NetworkPolicies allow only what the pods need and its ResourceQuota is the documented arithmetic.
 * ManifestSchemaTest checks the same objects against their schemas.
 */
class TenantManifestsTest {
    private static final Map<String, String> TWO_TENANTS = Map.of("TENANTS", "acme,globex",
            "TENANT_ACME_MAX_REPLICAS", "12", "TENANT_ACME_LAG_THRESHOLD", "2000", "TENANT_ACME_QUOTA_HEADROOM_PODS", "3");
    private static final Map<String, List<Manifest>> RENDERED = new LinkedHashMap<>();

    @BeforeAll
    static void render() {
        for (String tenant : List.of("acme", "globex")) {
            RENDERED.put(tenant, RenderedManifests.allForTenant(TWO_TENANTS, tenant));
        }
    }

    @Test
    void twoTenantsShareNoNamespaceServiceAccountTopicGroupOrRole() {
        Map<String, Set<String>> names = new LinkedHashMap<>();
        RENDERED.forEach((tenant, manifests) -> names.put(tenant, identities(manifests)));
        assertThat(names.get("acme")).contains("namespace trade-tx-acme", "topic trade-tx-acme",
                "topic trade-tx-acme.dlq", "group trade-tx-consumer-acme",
                "role arn:aws:iam::ACCOUNT_ID:role/trade-tx-acme-keda-reader",
                "service-account trade-tx-acme/trade-tx-consumer", "service-account trade-tx-acme/trade-tx-producer");
        assertThat(names.get("globex")).contains("namespace trade-tx-globex", "topic trade-tx-globex",
                "group trade-tx-consumer-globex", "role arn:aws:iam::ACCOUNT_ID:role/trade-tx-globex-keda-reader");
        Set<String> shared = new HashSet<>(names.get("acme"));
        shared.retainAll(names.get("globex"));
        assertThat(shared).as("names both tenants' objects use").isEmpty();
    }

    @Test
    void eachTenantScalesWithItsOwnSettingsAndNamesItsOwnReader() {
        Map<String, Object> acme = spec(find("acme", "ScaledObject", "trade-tx-consumer-scaler"));
        Map<String, Object> globex = spec(find("globex", "ScaledObject", "trade-tx-consumer-scaler"));
        assertThat(acme).containsEntry("maxReplicaCount", 12);
        assertThat(globex).containsEntry("maxReplicaCount", Integer.parseInt(TestSpecs.ENV_EXAMPLE.get("MAX_REPLICAS")));
        assertThat(triggerMetadata(acme)).containsEntry("lagThreshold", "2000").containsEntry("topic", "trade-tx-acme");
        assertThat(triggerMetadata(globex)).containsEntry("lagThreshold", TestSpecs.ENV_EXAMPLE.get("LAG_THRESHOLD"));
        Map<String, Object> auth = map(spec(find("acme", "TriggerAuthentication", "keda-msk-iam-auth")), "podIdentity");
        assertThat(auth).containsEntry("provider", "aws")
                .containsEntry("roleArn", "arn:aws:iam::ACCOUNT_ID:role/trade-tx-acme-keda-reader")
                .doesNotContainKey("identityOwner");
    }

    @Test
    void theNamespaceIsPodSecurityRestrictedAndLabelledWithItsTenant() {
        Map<String, Object> namespace = find("acme", "Namespace", "trade-tx-acme");
        assertThat(map(namespace, "metadata", "labels")).containsEntry("pod-security.kubernetes.io/enforce", "restricted")
                .containsEntry("trade-tx.io/tenant", "acme").containsEntry("app.kubernetes.io/part-of", "trade-tx");
    }

    @Test
    void everyPodOfTheNamespaceIsIsolatedInBothDirections() {
        Map<String, Object> deny = spec(find("acme", "NetworkPolicy", "default-deny"));
        assertThat(deny).containsEntry("podSelector", Map.of()).containsEntry("policyTypes", List.of("Ingress", "Egress"))
                .doesNotContainKeys("ingress", "egress");
    }

    @Test
    void theAppsMayReachOnlyDnsMskAndThePodIdentityAgentAndOnlyPrometheusReachesThem() {
        Map<String, Object> apps = spec(find("acme", "NetworkPolicy", "trade-tx-apps"));
        assertThat(apps.get("podSelector")).isEqualTo(Map.of("matchLabels", Map.of("app.kubernetes.io/part-of", "trade-tx")));
        assertThat(apps.get("policyTypes")).isEqualTo(List.of("Ingress", "Egress"));
        assertThat(apps.get("ingress")).isEqualTo(List.of(Map.of(
                "from", List.of(Map.of(
                        "namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "monitoring")),
                        "podSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name", "prometheus")))),
                "ports", List.of(Map.of("protocol", "TCP", "port", 8000)))));
        assertThat(apps.get("egress")).isEqualTo(List.of(
                Map.of("to", List.of(
                                Map.of("namespaceSelector", Map.of("matchLabels", Map.of("kubernetes.io/metadata.name", "kube-system")),
                                        "podSelector", Map.of("matchLabels", Map.of("k8s-app", "kube-dns"))),
                                Map.of("ipBlock", Map.of("cidr", "172.20.0.10/32"))),
                        "ports", List.of(Map.of("protocol", "UDP", "port", 53), Map.of("protocol", "TCP", "port", 53))),
                Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr", TestSpecs.ENV_EXAMPLE.get("VPC_CIDR")))),
                        "ports", List.of(Map.of("protocol", "TCP", "port", 9098))),
                Map.of("to", List.of(Map.of("ipBlock", Map.of("cidr", "169.254.170.23/32"))),
                        "ports", List.of(Map.of("protocol", "TCP", "port", 80)))));
    }

    /** pods = MAX_REPLICAS + 1 surge + headroom + 1 producer; CPU and memory are those pods' requests. */
    @Test
    void theQuotaAdmitsMaxReplicasPlusSurgeHeadroomAndTheProducerAtTheirRequests() {
        for (String tenant : RENDERED.keySet()) {
            int maxReplicas = (Integer) spec(find(tenant, "ScaledObject", "trade-tx-consumer-scaler")).get("maxReplicaCount");
            int headroom = tenant.equals("acme") ? 3 : Integer.parseInt(TestSpecs.ENV_EXAMPLE.get("QUOTA_HEADROOM_PODS"));
            Map<String, Object> consumer = requests(find(tenant, "Deployment", "trade-tx-consumer"));
            Map<String, Object> producer = requests(find(tenant, "Deployment", "trade-tx-producer"));
            int consumers = maxReplicas + 1 + headroom;
            Map<String, Object> hard = map(spec(find(tenant, "ResourceQuota", "trade-tx-quota")), "hard");
            assertThat(hard).as(tenant).containsEntry("pods", String.valueOf(consumers + 1))
                    .containsEntry("requests.cpu", (consumers * milli(consumer.get("cpu")) + milli(producer.get("cpu"))) + "m")
                    .containsEntry("requests.memory", (consumers * mebi(consumer.get("memory")) + mebi(producer.get("memory"))) + "Mi")
                    .containsEntry("limits.memory", hard.get("requests.memory"));
        }
        assertThat(map(spec(find("acme", "ResourceQuota", "trade-tx-quota")), "hard"))
                .containsEntry("pods", "17").containsEntry("requests.cpu", "4250m").containsEntry("requests.memory", "6528Mi");
    }

    @Test
    void theMetricsCarryTheirTenantAndKafkaNamesForTheDashboard() {
        Map<String, Object> monitor = spec(find("acme", "ServiceMonitor", "trade-tx"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> relabelings = (List<Map<String, Object>>)
                ((List<Map<String, Object>>) monitor.get("endpoints")).get(0).get("relabelings");
        Map<String, Object> labels = new LinkedHashMap<>();
        relabelings.forEach(r -> labels.put((String) r.get("targetLabel"), r.get("replacement")));
        assertThat(labels).containsExactly(Map.entry("tenant", "acme"), Map.entry("kafka_topic", "trade-tx-acme"),
                Map.entry("kafka_group", "trade-tx-consumer-acme"));
    }

    @Test
    void withoutTenantsTheManifestsKeepTheirNamesAndGetNoIsolationObjects() {
        List<Manifest> single = RenderedManifests.all();
        assertThat(single).extracting(Manifest::kind).doesNotContain("Namespace", "NetworkPolicy", "ResourceQuota",
                "LimitRange");
        assertThat(identities(single)).contains("topic " + TestSpecs.ENV_EXAMPLE.get("KAFKA_TOPIC"),
                "group " + TestSpecs.ENV_EXAMPLE.get("CONSUMER_GROUP"), "topic trade-tx.dlq",
                "role " + RenderedManifests.DEPLOYED.get("KEDA_READER_ROLE_ARN"));
    }

    // --- helpers -------------------------------------------------------------------------------

    /** Every name a tenant's objects use that must be its own. */
    @SuppressWarnings("unchecked")
    private static Set<String> identities(List<Manifest> manifests) {
        Set<String> ids = new HashSet<>();
        String namespace = manifests.stream().filter(m -> "Namespace".equals(m.kind())).map(Manifest::name)
                .findFirst().orElse("(the namespace of the deploy)");
        for (Manifest m : manifests) {
            Map<String, Object> o = m.object();
            switch (m.kind()) {
                case "Namespace" -> ids.add("namespace " + m.name());
                case "ServiceAccount" -> ids.add("service-account " + namespace + "/" + m.name());
                case "Deployment" -> {
                    Map<String, Object> pod = map(o, "spec", "template", "spec");
                    ids.add("service-account " + namespace + "/" + pod.get("serviceAccountName"));
                    for (Map<String, Object> e : (List<Map<String, Object>>) container(pod).get("env")) {
                        switch ((String) e.get("name")) {
                            case "KAFKA_TOPIC", "DLQ_TOPIC" -> ids.add("topic " + e.get("value"));
                            case "CONSUMER_GROUP" -> ids.add("group " + e.get("value"));
                            default -> { }
                        }
                    }
                }
                case "ScaledObject" -> {
                    Map<String, Object> trigger = triggerMetadata(spec(o));
                    ids.add("topic " + trigger.get("topic"));
                    ids.add("group " + trigger.get("consumerGroup"));
                }
                case "TriggerAuthentication" -> ids.add("role " + map(spec(o), "podIdentity").get("roleArn"));
                default -> { }
            }
        }
        return ids;
    }

    private static Map<String, Object> find(String tenant, String kind, String name) {
        return RENDERED.get(tenant).stream().filter(m -> kind.equals(m.kind()) && name.equals(m.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " for tenant " + tenant)).object();
    }

    private static Map<String, Object> spec(Map<String, Object> object) {
        return map(object, "spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> triggerMetadata(Map<String, Object> scaledObjectSpec) {
        List<Map<String, Object>> triggers = (List<Map<String, Object>>) scaledObjectSpec.get("triggers");
        return map(triggers.get(0), "metadata");
    }

    private static Map<String, Object> requests(Map<String, Object> deployment) {
        return map(container(map(deployment, "spec", "template", "spec")), "resources", "requests");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> podSpec) {
        return ((List<Map<String, Object>>) podSpec.get("containers")).get(0);
    }

    private static int milli(Object cpu) {
        String s = String.valueOf(cpu);
        assertThat(s).matches("[0-9]+m");
        return Integer.parseInt(s.substring(0, s.length() - 1));
    }

    private static int mebi(Object memory) {
        String s = String.valueOf(memory);
        assertThat(s).matches("[0-9]+Mi");
        return Integer.parseInt(s.substring(0, s.length() - 2));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        List<String> walked = new ArrayList<>();
        for (String p : path) {
            walked.add(p);
            Object next = cur.get(p);
            assertThat(next).as(String.join(".", walked)).isInstanceOf(Map.class);
            cur = (Map<String, Object>) next;
        }
        return cur;
    }
}
