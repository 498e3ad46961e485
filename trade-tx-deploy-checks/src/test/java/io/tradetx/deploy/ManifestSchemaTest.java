package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.deploy.RenderedManifests.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest under k8s/, rendered by scripts/lib.sh, against the real schemas: the KEDA objects
 * against the CRDs of the pinned and the newest checked KEDA release, built-in kinds against the
 * Kubernetes model, strictly. The tests below the first ones change one field of a real manifest and
 * expect the exact error, so the checks are shown to fail when they should.
 */
class ManifestSchemaTest {
    private static final String KEDA = "keda.sh/v1alpha1";
    private static List<Manifest> manifests;
    private static ManifestValidator validator;

    /** Every manifest of k8s/ and k8s/tenant/ as deploy-*.sh --tenant renders it, per tenant of TWO_TENANTS. */
    private static final Map<String, List<Manifest>> TENANT_MANIFESTS = new LinkedHashMap<>();

    @BeforeAll
    static void render() {
        manifests = RenderedManifests.all();
        validator = ManifestValidator.fromRepository();
        for (String tenant : List.of("acme", "globex")) {
            TENANT_MANIFESTS.put(tenant, RenderedManifests.allForTenant(TWO_TENANTS, tenant));
        }
    }

    @Test
    void everyManifestUnderK8sPassesItsSchema() {
        List<String> errors = new ArrayList<>();
        manifests.forEach(m -> errors.addAll(validator.validate(m)));
        assertThat(errors).as("schema violations").isEmpty();
        assertThat(manifests.stream().map(Manifest::file).distinct())
                .as("every file of k8s/ holds at least one object").hasSameElementsAs(RenderedManifests.files());
        assertThat(manifests).extracting(Manifest::kind)
                .contains("Deployment", "ScaledObject", "TriggerAuthentication", "ServiceMonitor");
    }

    @Test
    void everyPlaceholderIsASettingSoNoneIsLeftAfterRendering() {
        RenderedManifests.render(RenderedManifests.DEPLOYED, RenderedManifests.files()).forEach((file, text) ->
                assertThat(text).as("k8s/" + file + " rendered").doesNotContain("${").isNotBlank());
    }

    /** Two tenants, one with its own scaling settings: the settings a deployment with TENANTS has. */
    static final Map<String, String> TWO_TENANTS = Map.of("TENANTS", "acme,globex",
            "TENANT_ACME_MAX_REPLICAS", "12", "TENANT_ACME_LAG_THRESHOLD", "2000");

    @Test
    void everyTenantsManifestsPassTheSameSchemasAndLeaveNoPlaceholder() {
        for (String tenant : TENANT_MANIFESTS.keySet()) {
            List<Manifest> rendered = TENANT_MANIFESTS.get(tenant);
            List<String> errors = new ArrayList<>();
            rendered.forEach(m -> errors.addAll(validator.validate(m)));
            assertThat(errors).as(tenant + ": schema violations").isEmpty();
            assertThat(rendered).extracting(Manifest::kind).as(tenant).contains("Namespace", "Deployment", "ScaledObject",
                    "TriggerAuthentication", "ServiceMonitor", "NetworkPolicy", "ResourceQuota", "LimitRange");
            List<String> files = new ArrayList<>(RenderedManifests.files());
            files.addAll(RenderedManifests.tenantFiles());
            assertThat(rendered.stream().map(Manifest::file).distinct()).as(tenant + ": every file renders objects")
                    .hasSameElementsAs(files);
            rendered.forEach(m -> assertThat(m.object().toString()).as(tenant + " " + m).doesNotContain("${"));
        }
    }

    @Test
    void theClusterWideManifestsPassTheirSchemasAndLeaveNoPlaceholder() {
        List<Manifest> cluster = RenderedManifests.cluster();
        List<String> errors = new ArrayList<>();
        cluster.forEach(m -> errors.addAll(validator.validate(m)));
        assertThat(errors).as("schema violations").isEmpty();
        assertThat(cluster.stream().map(Manifest::file).distinct()).as("every file of k8s/cluster/ holds objects")
                .hasSameElementsAs(RenderedManifests.clusterFiles());
        assertThat(cluster).extracting(Manifest::kind)
                .contains("ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding");
        cluster.forEach(m -> assertThat(m.object().toString()).as(m.toString()).doesNotContain("${"));
    }

    @Test
    void aMisspelledAdmissionPolicyFieldAndAnUnknownValidationActionAreErrors() {
        Manifest policy = RenderedManifests.cluster().stream()
                .filter(m -> "ValidatingAdmissionPolicy".equals(m.kind())).findFirst().orElseThrow();
        assertThat(validator.validate(changed(policy, "spec.validations[0].expresion", "true"))).containsExactly(
                "ValidatingAdmissionPolicy trade-tx-keda-reader-role: spec.validations[0].expresion: unknown field");
        Manifest binding = RenderedManifests.cluster().stream()
                .filter(m -> "ValidatingAdmissionPolicyBinding".equals(m.kind())).findFirst().orElseThrow();
        assertThat(validator.validate(changed(binding, "spec.validationAction", List.of("Deny")))).containsExactly(
                "ValidatingAdmissionPolicyBinding trade-tx-keda-reader-role: spec.validationAction: unknown field");
    }

    @Test
    void anUnknownNetworkPolicyFieldAndAStringPortAreErrors() {
        Manifest policy = TENANT_MANIFESTS.get("acme").stream()
                .filter(m -> "trade-tx-apps".equals(m.name())).findFirst().orElseThrow();
        assertThat(validator.validate(changed(policy, "spec.egres", List.of()))).containsExactly(
                "NetworkPolicy trade-tx-apps: spec.egres: unknown field");
        assertThat(validator.validate(changed(policy, "spec.egress[0].to[1].ipBlock.cidrs", "10.0.0.0/8")))
                .containsExactly("NetworkPolicy trade-tx-apps: spec.egress[0].to[1].ipBlock.cidrs: unknown field");
    }

    @Test
    void kedaObjectsAreCheckedAgainstThePinnedChartVersionAndTheNewestCheckedRelease() throws IOException {
        String variables = Files.readString(RenderedManifests.ROOT.resolve("infra-tf/variables.tf"));
        Matcher pin = Pattern.compile("variable \"keda_chart_version\" \\{[^}]*default\\s*=\\s*\"([0-9.]+)\"")
                .matcher(variables);
        assertThat(pin.find()).as("keda_chart_version default in infra-tf/variables.tf").isTrue();
        List<String> released;
        try (Stream<java.nio.file.Path> dirs = Files.list(ManifestValidator.SCHEMAS.resolve("keda"))) {
            released = dirs.map(d -> d.getFileName().toString()).sorted(byVersion()).toList();
        }
        String newest = released.get(released.size() - 1);
        CrdSchemas crds = CrdSchemas.load(ManifestValidator.SCHEMAS);
        for (String kind : List.of("ScaledObject", "TriggerAuthentication", "ClusterTriggerAuthentication")) {
            assertThat(crds.sources(KEDA, kind)).as(kind).contains("keda/v" + pin.group(1), "keda/" + newest);
        }
        assertThat(released).as("KEDA releases checked").contains("v2.18.0", "v2.20.2");
    }

    // --- the checks fail when they should ------------------------------------------------------

    @Test
    void anUnknownFieldOfACoreObjectIsAnError() {
        Manifest m = changed("Deployment", "trade-tx-consumer",
                "spec.template.spec.containers[0].securityContext.runAsNonRot", true);
        assertThat(validator.validate(m)).containsExactly(
                "Deployment trade-tx-consumer: spec.template.spec.containers[0].securityContext.runAsNonRot: unknown field");
    }

    @Test
    void aStringWhereTheApiWantsAnIntegerIsAnError() {
        Manifest m = changed("Deployment", "trade-tx-consumer", "spec.template.spec.terminationGracePeriodSeconds", "45");
        assertThat(validator.validate(m)).singleElement().asString()
                .startsWith("Deployment trade-tx-consumer: spec.template.spec.terminationGracePeriodSeconds: ")
                .contains("\"45\"");
    }

    @Test
    void anIntegerWhereTheApiWantsAStringIsAnError() {
        Manifest m = changed("Deployment", "trade-tx-consumer", "spec.template.spec.containers[0].env[0].value", 8000);
        assertThat(validator.validate(m)).singleElement().asString()
                .startsWith("Deployment trade-tx-consumer: spec.template.spec.containers[0].env[0].value: ");
    }

    @Test
    void aMissingImageAndAMountWithoutVolumeAreErrors() {
        Manifest m = changed("Deployment", "trade-tx-producer", "spec.template.spec.containers[0].image", null);
        m = changed(m, "spec.template.spec.containers[0].volumeMounts[0].name", "scratch");
        assertThat(validator.validate(m)).containsExactly(
                "Deployment trade-tx-producer: spec.template.spec.containers[0].image: required",
                "Deployment trade-tx-producer: spec.template.spec.containers[0].volumeMounts[0].name: no volume named scratch");
    }

    @Test
    void anUnknownScaledObjectFieldIsAnErrorInEveryKedaRelease() {
        Manifest m = changed("ScaledObject", "trade-tx-consumer-scaler", "spec.pollingIntervall", 15);
        assertThat(validator.validate(m)).containsExactly(
                "ScaledObject trade-tx-consumer-scaler [keda/v2.18.0]: spec.pollingIntervall: unknown field",
                "ScaledObject trade-tx-consumer-scaler [keda/v2.20.2]: spec.pollingIntervall: unknown field");
    }

    @Test
    void anUnquotedTriggerMetadataValueIsAnError() {
        Manifest m = changed("ScaledObject", "trade-tx-consumer-scaler", "spec.triggers[0].metadata.lagThreshold", 5000);
        assertThat(validator.validate(m)).containsExactly(
                "ScaledObject trade-tx-consumer-scaler [keda/v2.18.0]: spec.triggers[0].metadata.lagThreshold: expected string, got integer 5000",
                "ScaledObject trade-tx-consumer-scaler [keda/v2.20.2]: spec.triggers[0].metadata.lagThreshold: expected string, got integer 5000");
    }

    @Test
    void aRuleOnlyTheNewerCrdHasFailsOnlyThere() {
        Manifest m = changed("ScaledObject", "trade-tx-consumer-scaler", "spec.minReplicaCount", -1);
        assertThat(validator.validate(m)).containsExactly(
                "ScaledObject trade-tx-consumer-scaler [keda/v2.20.2]: spec.minReplicaCount: -1 is less than the minimum 0");
    }

    @Test
    void intOrStringTakesBothButNothingElse() {
        String tolerance = "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance";
        assertThat(validator.validate(changed("ScaledObject", "trade-tx-consumer-scaler", tolerance, "0.05"))).isEmpty();
        assertThat(validator.validate(changed("ScaledObject", "trade-tx-consumer-scaler", tolerance, 1))).isEmpty();
        assertThat(validator.validate(changed("ScaledObject", "trade-tx-consumer-scaler", tolerance, true)))
                .hasSize(2).allSatisfy(e -> assertThat(e).endsWith(
                        tolerance + ": expected integer or string, got boolean true"));
    }

    @Test
    void aMissingRequiredFieldAndAValueOutsideTheEnumAreErrors() {
        Manifest so = changed("ScaledObject", "trade-tx-consumer-scaler", "spec.scaleTargetRef.name", REMOVE);
        assertThat(validator.validate(so)).containsExactly(
                "ScaledObject trade-tx-consumer-scaler [keda/v2.18.0]: spec.scaleTargetRef.name: required field is missing",
                "ScaledObject trade-tx-consumer-scaler [keda/v2.20.2]: spec.scaleTargetRef.name: required field is missing");
        Manifest auth = changed("TriggerAuthentication", "keda-msk-iam-auth", "spec.podIdentity.identityOwner", "operator");
        assertThat(validator.validate(auth)).containsExactly(
                "TriggerAuthentication keda-msk-iam-auth [keda/v2.18.0]: spec.podIdentity.identityOwner: string \"operator\" is not one of [keda, workload]",
                "TriggerAuthentication keda-msk-iam-auth [keda/v2.20.2]: spec.podIdentity.identityOwner: string \"operator\" is not one of [keda, workload]");
    }

    @Test
    void theMetadataOfACustomResourceIsCheckedToo() {
        Manifest m = changed("TriggerAuthentication", "keda-msk-iam-auth", "metadata.lables", Map.of("a", "b"));
        assertThat(validator.validate(m)).containsExactly(
                "TriggerAuthentication keda-msk-iam-auth [keda/v2.18.0]: metadata.lables: unknown field",
                "TriggerAuthentication keda-msk-iam-auth [keda/v2.20.2]: metadata.lables: unknown field");
    }

    @Test
    void aServiceMonitorIntervalMustBeADurationString() {
        Manifest m = changed("ServiceMonitor", "trade-tx", "spec.endpoints[0].interval", 15);
        assertThat(validator.validate(m)).containsExactly(
                "ServiceMonitor trade-tx [monitoring.coreos.com]: spec.endpoints[0].interval: expected string, got integer 15");
    }

    @Test
    void aKindWithoutASchemaIsAnError() {
        Manifest m = new Manifest("widget.yaml", Map.of("apiVersion", "example.com/v1", "kind", "Widget",
                "metadata", Map.of("name", "w")));
        assertThat(validator.validate(m)).containsExactly("Widget w: no schema for apiVersion example.com/v1 kind Widget"
                + " (add its CRD under .ci/schemas/ or use a kind of the Kubernetes API)");
    }

    // --- helpers -------------------------------------------------------------------------------

    private static final Object REMOVE = new Object();

    private static Manifest changed(String kind, String name, String path, Object value) {
        Manifest m = manifests.stream().filter(x -> kind.equals(x.kind()) && name.equals(x.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in k8s/"));
        return changed(m, path, value);
    }

    /** A deep copy of the manifest with the field at {@code path} (a.b[0].c) set, added or removed. */
    @SuppressWarnings("unchecked")
    private static Manifest changed(Manifest m, String path, Object value) {
        Map<String, Object> copy = (Map<String, Object>) deepCopy(m.object());
        Object cur = copy;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length; i++) {
            Matcher indexed = Pattern.compile("(\\w+)\\[(\\d+)]").matcher(parts[i]);
            boolean last = i == parts.length - 1;
            Map<String, Object> map = (Map<String, Object>) cur;
            if (indexed.matches()) {
                cur = ((List<Object>) map.get(indexed.group(1))).get(Integer.parseInt(indexed.group(2)));
            } else if (last) {
                if (value == REMOVE) {
                    map.remove(parts[i]);
                } else {
                    map.put(parts[i], value);
                }
            } else {
                cur = map.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
            }
        }
        return new Manifest(m.file(), copy);
    }

    private static Object deepCopy(Object o) {
        if (o instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, deepCopy(v)));
            return copy;
        }
        if (o instanceof List<?> list) {
            return new ArrayList<>(list.stream().map(ManifestSchemaTest::deepCopy).toList());
        }
        return o;
    }

    private static Comparator<String> byVersion() {
        return Comparator.comparing(v -> {
            String[] p = v.replace("v", "").split("\\.");
            return String.format("%05d%05d%05d", Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]));
        });
    }
}
