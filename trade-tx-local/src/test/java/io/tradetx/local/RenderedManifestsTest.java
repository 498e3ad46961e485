package io.tradetx.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.scale.DeploySettings;
import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Kubernetes manifests as the deploy scripts render them (${VAR} filled from .env.example): the
 * fields that keep scaling, draining and security right.
 */
class RenderedManifestsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<Map<String, Object>> DOCS = new ArrayList<>();

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void render() throws IOException {
        Map<String, String> values = DeploySettings.load(ROOT);
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                if (f.getFileName().toString().equals("kustomization.yaml")) {
                    continue;
                }
                String rendered = Placeholders.fill(Files.readString(f), values);
                for (Object doc : new Yaml().loadAll(rendered)) {
                    if (doc != null) {
                        DOCS.add((Map<String, Object>) doc);
                    }
                }
            }
        }
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
    void producerDeploymentIsNonRootWithAReadinessProbe() {
        Map<String, Object> pod = map(find("Deployment", "trade-tx-producer"), "spec", "template", "spec");
        Map<String, Object> container = container(pod);
        assertThat(map(container, "readinessProbe", "httpGet")).containsEntry("path", "/ready");
        assertThat(map(container, "resources", "limits")).containsKey("memory");
        assertSecure(pod, container);
    }

    @Test
    void scaledObjectParsesStrictlyAndTargetsTheConsumerAndItsGroup() throws IOException {
        Map<String, String> values = DeploySettings.load(ROOT);
        ScaledObjectSpec spec = ScaledObjectParser.parse(
                Placeholders.fill(Files.readString(ROOT.resolve("k8s/scaledobject.yaml")), values));
        assertThat(spec.scaleTargetName()).isEqualTo("trade-tx-consumer");
        assertThat(spec.minReplicaCount()).isZero();
        assertThat(spec.kafka().consumerGroup()).isEqualTo(values.get("CONSUMER_GROUP"));
        assertThat(spec.kafka().topic()).isEqualTo(values.get("KAFKA_TOPIC"));
        assertThat(spec.kafka().lagThreshold()).isEqualTo(Long.parseLong(values.get("LAG_THRESHOLD")));
        assertThat(spec.warnings()).as("no ignored fields such as the feature-gated tolerance").isEmpty();
        Map<String, Object> auth = find("TriggerAuthentication", "keda-msk-iam-auth");
        assertThat(map(auth, "spec", "podIdentity")).containsEntry("provider", "aws");
    }

    @Test
    void consumerHasADisruptionBudgetAndAMetricsScrape() {
        assertThat(kinds()).contains("PodDisruptionBudget", "ServiceAccount", "Service", "TriggerAuthentication",
                "ScaledObject");
        assertThat(kinds()).containsAnyOf("ServiceMonitor", "PodMonitor");
    }

    private static void assertSecure(Map<String, Object> pod, Map<String, Object> container) {
        assertThat(map(pod, "securityContext")).containsEntry("runAsNonRoot", true);
        Map<String, Object> sc = map(container, "securityContext");
        assertThat(sc).containsEntry("readOnlyRootFilesystem", true).containsEntry("allowPrivilegeEscalation", false);
        assertThat(map(sc, "capabilities")).containsEntry("drop", List.of("ALL"));
    }

    private static List<String> kinds() {
        return DOCS.stream().map(d -> (String) d.get("kind")).toList();
    }

    private static Map<String, Object> find(String kind, String name) {
        return DOCS.stream().filter(d -> kind.equals(d.get("kind")) && name.equals(map(d, "metadata").get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/"));
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
