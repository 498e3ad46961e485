package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.scale.DeploySettings;
import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests as the deploy scripts render them (scripts/lib.sh itself, settings from
 * .env.example plus what deploy-infra.sh writes): the fields that keep scaling, draining and security
 * right. ManifestSchemaTest checks the same objects against their schemas.
 */
class RenderedManifestsTest {
    private static final Path ROOT = RenderedManifests.ROOT;
    private static List<RenderedManifests.Manifest> docs;

    @BeforeAll
    static void render() {
        docs = RenderedManifests.all();
    }

    @Test
    void consumerDeploymentLeavesReplicasToKedaAndDrainsWithinItsGracePeriod() {
        Map<String, Object> deployment = find("Deployment", "trade-tx-consumer");
        assertThat(map(deployment, "spec")).as("no replicas: a re-deploy must not reset KEDA's count")
                .doesNotContainKey("replicas");
        Map<String, Object> pod = map(deployment, "spec", "template", "spec");
        assertThat((Integer) pod.get("terminationGracePeriodSeconds"))
                .as("longer than the consumer's 30 s drain").isGreaterThan(30);
        Map<String, Object> container = container(pod);
        assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("path", "/ready");
        assertThat(map(container, "readinessProbe")).doesNotContainEntry("initialDelaySeconds", 90);
        assertThat(map(container, "resources", "requests")).containsKeys("cpu", "memory");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
        assertSecure(pod, container);
    }

    @Test
    void theGracePeriodAndTheConsumersShutdownBudgetAreOneSetting() {
        Map<String, Object> pod = map(find("Deployment", "trade-tx-consumer"), "spec", "template", "spec");
        assertThat(env(container(pod)).get("SHUTDOWN_GRACE_PERIOD_SECONDS"))
                .isEqualTo(String.valueOf(pod.get("terminationGracePeriodSeconds")));
        Map<String, String> custom = new HashMap<>(RenderedManifests.DEPLOYED);
        custom.put("SHUTDOWN_GRACE_PERIOD_SECONDS", "90");
        Map<String, Object> changed = RenderedManifests.parse(
                RenderedManifests.render(custom, List.of("consumer-deployment.yaml"))).get(0).object();
        Map<String, Object> changedPod = map(changed, "spec", "template", "spec");
        assertThat(changedPod.get("terminationGracePeriodSeconds")).isEqualTo(90);
        assertThat(env(container(changedPod))).containsEntry("SHUTDOWN_GRACE_PERIOD_SECONDS", "90");
    }

    @Test
    void theConsumerGetsTheDeadLetterTopicThatScriptsLibDerives() {
        Map<String, String> custom = new HashMap<>(RenderedManifests.DEPLOYED);
        custom.put("KAFKA_TOPIC", "orders");
        Map<String, Object> deployment = RenderedManifests.parse(
                RenderedManifests.render(custom, List.of("consumer-deployment.yaml"))).get(0).object();
        assertThat(env(container(map(deployment, "spec", "template", "spec"))))
                .containsEntry("KAFKA_TOPIC", "orders").containsEntry("DLQ_TOPIC", "orders.dlq");
    }

    @Test
    void probesCheckTheProcessNotKafkaAndNoPodMountsAnApiToken() {
        for (String app : List.of("trade-tx-consumer", "trade-tx-producer")) {
            Map<String, Object> pod = map(find("Deployment", app), "spec", "template", "spec");
            Map<String, Object> container = container(pod);
            assertThat(map(container, "startupProbe", "httpGet")).as(app).containsEntry("path", "/healthz");
            assertThat(map(container, "livenessProbe", "httpGet")).as(app).containsEntry("path", "/healthz");
            Map<String, Object> startup = map(container, "startupProbe");
            assertThat((Integer) startup.get("periodSeconds") * (Integer) startup.get("failureThreshold"))
                    .as(app + ": startup budget in seconds").isGreaterThanOrEqualTo(60);
            assertThat(pod).as(app).containsEntry("automountServiceAccountToken", false);
            assertThat(find("ServiceAccount", app)).as(app).containsEntry("automountServiceAccountToken", false);
        }
    }

    @Test
    void producerDeploymentIsNonRootWithAReadinessProbe() {
        Map<String, Object> pod = map(find("Deployment", "trade-tx-producer"), "spec", "template", "spec");
        Map<String, Object> container = container(pod);
        assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("path", "/ready");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
        assertSecure(pod, container);
    }

    @Test
    void scaledObjectParsesStrictlyAndTargetsTheConsumerAndItsGroup() throws IOException {
        Map<String, String> values = new HashMap<>();
        DeploySettings.read(ROOT.resolve(".env.example"), values);
        ScaledObjectSpec spec = ScaledObjectParser.parse(RenderedManifests.render(RenderedManifests.DEPLOYED,
                List.of("scaledobject.yaml")).get("scaledobject.yaml"));
        assertThat(spec.scaleTargetName()).isEqualTo("trade-tx-consumer");
        assertThat(spec.minReplicaCount()).isZero();
        assertThat(spec.kafka().consumerGroup()).isEqualTo(values.get("CONSUMER_GROUP"));
        assertThat(spec.kafka().topic()).isEqualTo(values.get("KAFKA_TOPIC"));
        assertThat(spec.kafka().lagThreshold()).isEqualTo(Long.parseLong(values.get("LAG_THRESHOLD")));
        assertThat(spec.warnings()).as("no ignored fields such as the feature-gated tolerance").isEmpty();
        Map<String, Object> auth = find("TriggerAuthentication", "keda-msk-iam-auth");
        assertThat(map(auth, "spec", "podIdentity")).containsEntry("provider", "aws");
    }

    /**
     * The local runner fills the files it reads (the ScaledObject; the consumer Deployment's requests for
     * simulate and tune) with its Java Placeholders and DeploySettings: the result is scripts/lib.sh's, byte
     * for byte, also with a .env that uses the grammar's corners (export, quotes, comments, CRLF).
     */
    @Test
    void theLocalRunnerFillsItsManifestsExactlyAsScriptsLibDoes() throws IOException {
        Map<String, String> settings = new java.util.LinkedHashMap<>(RenderedManifests.DEPLOYED);
        settings.put("export LAG_THRESHOLD", "1234 # per replica\r");
        settings.put("CONSUMER_GROUP", "'orders-group' # quoted");
        settings.put("CONSUMER_CPU_REQUEST", "\"750m\"");
        for (String file : List.of("scaledobject.yaml", "consumer-deployment.yaml")) {
            Path env = Files.createTempFile("trade-tx-test", ".env");
            try {
                StringBuilder lines = new StringBuilder();
                settings.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
                Files.writeString(env, lines);
                Map<String, String> values = new HashMap<>();
                DeploySettings.read(ROOT.resolve(".env.example"), values);
                DeploySettings.read(env, values);
                values.put("DLQ_TOPIC", values.get("KAFKA_TOPIC") + ".dlq");
                String java = Placeholders.fill(Files.readString(ROOT.resolve("k8s").resolve(file)), values);
                String bash = RenderedManifests.render(settings, List.of(file)).get(file);
                assertThat(bash).as(file).isEqualTo(java).contains("orders-group");
            } finally {
                Files.deleteIfExists(env);
            }
        }
    }

    @Test
    void consumerHasADisruptionBudgetAndAMetricsScrapeThatSeesUnreadyPods() {
        assertThat(kinds()).contains("PodDisruptionBudget", "ServiceAccount", "Service", "TriggerAuthentication",
                "ScaledObject");
        assertThat(kinds()).containsAnyOf("ServiceMonitor", "PodMonitor");
        assertThat(map(find("Service", "trade-tx-metrics"), "spec"))
                .as("a stalled (not ready) consumer's metrics are still scraped")
                .containsEntry("publishNotReadyAddresses", true);
    }

    private static void assertSecure(Map<String, Object> pod, Map<String, Object> container) {
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        Map<String, Object> sc = map(container, "securityContext");
        assertThat(sc).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(map(sc, "capabilities")).containsEntry("drop", List.of("ALL"));
    }

    private static List<String> kinds() {
        return docs.stream().map(RenderedManifests.Manifest::kind).toList();
    }

    private static Map<String, Object> find(String kind, String name) {
        return docs.stream().filter(d -> kind.equals(d.kind()) && name.equals(d.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/")).object();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new HashMap<>();
        for (Map<String, Object> e : (List<Map<String, Object>>) container.get("env")) {
            env.put((String) e.get("name"), (String) e.get("value"));
        }
        return env;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> podSpec) {
        List<Map<String, Object>> containers = (List<Map<String, Object>>) podSpec.get("containers");
        assertThat(containers).hasSize(1);
        return containers.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String... path) {
        Map<String, Object> cur = m;
        for (String p : path) {
            Object next = cur.get(p);
            assertThat(next).as(String.join(".", path)).isInstanceOf(Map.class);
            cur = (Map<String, Object>) next;
        }
        return cur;
    }
}
