package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.tradetx.deploy.RenderedManifests.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster's ValidatingAdmissionPolicy (k8s/cluster/keda-trigger-auth-policy.yaml) evaluated for
 * real: its variables and validations are compiled and run with CEL (cel-java, the language the API
 * server runs them in) against the TriggerAuthentications and Namespaces scripts/lib.sh renders, and
 * against the objects a tenant could write to reach another tenant's reader role. The API server binds
 * object, namespaceObject and request the same way; variables are evaluated in order, as it does.
 */
class KedaTriggerAuthPolicyTest {
    private static final String ANNOTATION = "trade-tx.io/keda-reader-role-arn";
    private static final Map<String, String> TWO_TENANTS = Map.of("TENANTS", "acme,globex");
    /** has(), all(), exists(), map(), filter(): the standard macros, as in Kubernetes. */
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("object", SimpleType.DYN)
            .addVar("namespaceObject", SimpleType.DYN)
            .addVar("request", SimpleType.DYN)
            .addVar("variables", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private static Map<String, Object> policy;
    private static Map<String, Map<String, Object>> tenantAuth = new LinkedHashMap<>();
    private static Map<String, Map<String, Object>> tenantNamespace = new LinkedHashMap<>();
    private static Map<String, Object> singleAuth;

    @BeforeAll
    static void render() {
        policy = RenderedManifests.cluster().stream().filter(m -> "ValidatingAdmissionPolicy".equals(m.kind()))
                .findFirst().orElseThrow().object();
        for (String tenant : List.of("acme", "globex")) {
            List<Manifest> manifests = RenderedManifests.allForTenant(TWO_TENANTS, tenant);
            tenantAuth.put(tenant, find(manifests, "TriggerAuthentication"));
            tenantNamespace.put(tenant, find(manifests, "Namespace"));
        }
        singleAuth = find(RenderedManifests.all(), "TriggerAuthentication");
    }

    // --- what is allowed -----------------------------------------------------------------------

    @Test
    void eachTenantsRenderedTriggerAuthenticationIsAllowedInItsOwnNamespace() {
        for (String tenant : tenantAuth.keySet()) {
            assertThat(denials(tenantAuth.get(tenant), tenantNamespace.get(tenant))).as(tenant).isEmpty();
        }
    }

    @Test
    void theSingleDeploymentsTriggerAuthenticationIsAllowedInTheNamespaceEnsureNamespaceAnnotates() {
        String role = RenderedManifests.DEPLOYED.get("KEDA_READER_ROLE_ARN");
        assertThat(denials(singleAuth, namespace("default", role))).isEmpty();
    }

    @Test
    void aTriggerAuthenticationWithoutPodIdentityOrWithAnotherProviderIsNotThisPolicysBusiness() {
        Map<String, Object> secretOnly = auth("TriggerAuthentication", Map.of("secretTargetRef",
                List.of(Map.of("parameter", "password", "name", "kafka", "key", "password"))));
        assertThat(denials(secretOnly, namespace("payments", null))).isEmpty();
        Map<String, Object> azure = auth("TriggerAuthentication", Map.of("podIdentity", Map.of("provider", "azure-workload")));
        assertThat(denials(azure, namespace("payments", null))).isEmpty();
        Map<String, Object> clusterSecret = auth("ClusterTriggerAuthentication", Map.of("secretTargetRef",
                List.of(Map.of("parameter", "password", "name", "kafka", "key", "password"))));
        assertThat(denials(clusterSecret, null)).isEmpty();
    }

    // --- what is denied ------------------------------------------------------------------------

    @Test
    void anotherTenantsReaderRoleIsDeniedNamingTheRoleTheNamespaceAllows() {
        assertThat(denials(tenantAuth.get("acme"), tenantNamespace.get("globex"))).containsExactly(
                "podIdentity must be provider aws with roleArn arn:aws:iam::ACCOUNT_ID:role/trade-tx-globex-keda-reader"
                        + " (the reader role of this namespace) and no identityOwner other than keda, not roleArn"
                        + " 'arn:aws:iam::ACCOUNT_ID:role/trade-tx-acme-keda-reader' identityOwner keda");
    }

    @Test
    void aNamespaceWithoutTheAnnotationAllowsNoAwsPodIdentity() {
        assertThat(denials(tenantAuth.get("acme"), namespace("trade-tx-acme", null))).singleElement().asString()
                .startsWith("namespace trade-tx-acme has no trade-tx.io/keda-reader-role-arn annotation");
    }

    @Test
    void kedasOwnIdentityAndTheWorkloadsServiceAccountRoleAreDenied() {
        Map<String, Object> ns = tenantNamespace.get("acme");
        Map<String, Object> operatorIdentity = auth("TriggerAuthentication", Map.of("podIdentity", Map.of("provider", "aws")));
        assertThat(denials(operatorIdentity, ns)).singleElement().asString().endsWith("not roleArn '' identityOwner keda");
        Map<String, Object> workload = auth("TriggerAuthentication",
                Map.of("podIdentity", Map.of("provider", "aws", "identityOwner", "workload")));
        assertThat(denials(workload, ns)).singleElement().asString().endsWith("not roleArn '' identityOwner workload");
        String ownRole = (String) annotations(ns).get(ANNOTATION);
        Map<String, Object> both = auth("TriggerAuthentication",
                Map.of("podIdentity", Map.of("provider", "aws", "identityOwner", "workload", "roleArn", ownRole)));
        assertThat(denials(both, ns)).hasSize(1);
        Map<String, Object> awsEks = auth("TriggerAuthentication", Map.of("podIdentity", Map.of("provider", "aws-eks")));
        assertThat(denials(awsEks, ns)).singleElement().asString()
                .startsWith("podIdentity.provider aws-eks and aws-kiam take the role from annotations");
    }

    @Test
    void anAwsRoleArnParameterFromASecretOrAVaultIsDeniedEvenBesideTheOwnRole() {
        Map<String, Object> ns = tenantNamespace.get("acme");
        Map<String, Object> fromSecret = auth("TriggerAuthentication", Map.of("secretTargetRef",
                List.of(Map.of("parameter", "awsRoleArn", "name", "roles", "key", "globex"))));
        assertThat(denials(fromSecret, ns)).singleElement().asString()
                .startsWith("no auth parameter may be called awsRoleArn");
        Map<String, Object> withOwnRole = new LinkedHashMap<>(tenantAuth.get("acme"));
        Map<String, Object> spec = new LinkedHashMap<>(spec(withOwnRole));
        spec.put("hashiCorpVault", Map.of("address", "https://vault.example.invalid", "authentication", "token",
                "secrets", List.of(Map.of("parameter", "awsRoleArn", "path", "secret/globex", "key", "role"))));
        withOwnRole.put("spec", spec);
        assertThat(denials(withOwnRole, ns)).singleElement().asString()
                .startsWith("no auth parameter may be called awsRoleArn");
        Map<String, Object> fromEnv = auth("ClusterTriggerAuthentication", Map.of("env",
                List.of(Map.of("parameter", "awsRoleArn", "name", "ROLE"))));
        assertThat(denials(fromEnv, null)).singleElement().asString()
                .startsWith("no auth parameter may be called awsRoleArn");
    }

    @Test
    void aClusterTriggerAuthenticationMayNotUseAnAwsPodIdentityAtAll() {
        String acmeRole = (String) annotations(tenantNamespace.get("acme")).get(ANNOTATION);
        for (Map<String, Object> identity : List.<Map<String, Object>>of(Map.of("provider", "aws", "roleArn", acmeRole),
                Map.of("provider", "aws"), Map.of("provider", "aws", "identityOwner", "workload"), Map.of("provider", "aws-eks"))) {
            Map<String, Object> cta = auth("ClusterTriggerAuthentication", Map.of("podIdentity", identity));
            assertThat(denials(cta, null)).as(identity.toString()).singleElement().asString()
                    .startsWith("a ClusterTriggerAuthentication may not use an AWS pod identity");
        }
    }

    // --- the policy and the scripts agree ------------------------------------------------------

    @Test
    void thePolicyReadsTheAnnotationTheNamespaceManifestAndLibShWrite() throws IOException {
        String readerRole = variable("readerRoleArn");
        assertThat(readerRole).contains("'" + ANNOTATION + "'");
        String namespaceYaml = Files.readString(RenderedManifests.ROOT.resolve("k8s/tenant/namespace.yaml"));
        assertThat(namespaceYaml).contains(ANNOTATION + ": \"${KEDA_READER_ROLE_ARN}\"");
        String lib = Files.readString(RenderedManifests.ROOT.resolve("scripts/lib.sh"));
        assertThat(lib).contains("KEDA_READER_ANNOTATION=\"" + ANNOTATION + "\"");
        assertThat(annotations(tenantNamespace.get("acme"))).containsEntry(ANNOTATION,
                podIdentity(tenantAuth.get("acme")).get("roleArn"));
    }

    @Test
    void thePolicyMatchesBothKindsOnCreateAndUpdateAndFailsClosed() {
        Map<String, Object> spec = spec(policy);
        assertThat(spec).containsEntry("failurePolicy", "Fail");
        Map<String, Object> rule = list(map(spec, "matchConstraints"), "resourceRules").get(0);
        assertThat(rule.get("apiGroups")).isEqualTo(List.of("keda.sh"));
        assertThat(rule.get("operations")).isEqualTo(List.of("CREATE", "UPDATE"));
        assertThat(rule.get("resources")).isEqualTo(List.of("triggerauthentications", "clustertriggerauthentications"));
        Map<String, Object> binding = RenderedManifests.cluster().stream()
                .filter(m -> "ValidatingAdmissionPolicyBinding".equals(m.kind())).findFirst().orElseThrow().object();
        assertThat(spec(binding)).containsEntry("policyName", name(policy)).containsEntry("validationActions", List.of("Deny"));
    }

    // --- the evaluator -------------------------------------------------------------------------

    /**
     * The messages of every validation that refuses {@code object} in {@code namespaceObject} (null for a
     * cluster-scoped object), as the API server would return them.
     */
    private static List<String> denials(Map<String, Object> object, Map<String, Object> namespaceObject) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("operation", "CREATE");
        request.put("kind", Map.of("group", "keda.sh", "version", "v1alpha1", "kind", object.get("kind")));
        if (namespaceObject != null) {
            request.put("namespace", name(namespaceObject));
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, Object> inputs = new LinkedHashMap<>();
        inputs.put("object", object);
        inputs.put("namespaceObject", namespaceObject == null ? NullValue.NULL_VALUE : namespaceObject);
        inputs.put("request", request);
        inputs.put("variables", vars);
        for (Map<String, Object> v : list(spec(policy), "variables")) {
            vars.put((String) v.get("name"), eval((String) v.get("expression"), inputs));
        }
        List<String> denied = new ArrayList<>();
        for (Map<String, Object> validation : list(spec(policy), "validations")) {
            Object allowed = eval((String) validation.get("expression"), inputs);
            assertThat(allowed).as(validation.get("expression").toString()).isInstanceOf(Boolean.class);
            if (!(Boolean) allowed) {
                String message = validation.containsKey("messageExpression")
                        ? (String) eval((String) validation.get("messageExpression"), inputs)
                        : (String) validation.get("message");
                denied.add(message.strip().replaceAll("\\s+", " "));
            }
        }
        return denied;
    }

    private static Object eval(String expression, Map<String, Object> inputs) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(expression).getAst();
            return RUNTIME.createProgram(ast).eval(inputs);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new AssertionError("CEL: " + expression + ": " + e.getMessage(), e);
        }
    }

    // --- objects -------------------------------------------------------------------------------

    private static Map<String, Object> auth(String kind, Map<String, Object> spec) {
        Map<String, Object> metadata = new LinkedHashMap<>(Map.of("name", "probe"));
        return new LinkedHashMap<>(Map.of("apiVersion", "keda.sh/v1alpha1", "kind", kind, "metadata", metadata,
                "spec", spec));
    }

    /** A Namespace as the API server holds it; {@code role} null: without the annotation. */
    private static Map<String, Object> namespace(String name, String role) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", Map.of("kubernetes.io/metadata.name", name));
        if (role != null) {
            metadata.put("annotations", Map.of(ANNOTATION, role));
        }
        return Map.of("apiVersion", "v1", "kind", "Namespace", "metadata", metadata);
    }

    private static String variable(String name) {
        return list(spec(policy), "variables").stream().filter(v -> name.equals(v.get("name")))
                .map(v -> (String) v.get("expression")).findFirst().orElseThrow();
    }

    private static Map<String, Object> find(List<Manifest> manifests, String kind) {
        return manifests.stream().filter(m -> kind.equals(m.kind())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind)).object();
    }

    private static String name(Map<String, Object> object) {
        return (String) map(object, "metadata").get("name");
    }

    private static Map<String, Object> annotations(Map<String, Object> object) {
        return map(map(object, "metadata"), "annotations");
    }

    private static Map<String, Object> podIdentity(Map<String, Object> object) {
        return map(spec(object), "podIdentity");
    }

    private static Map<String, Object> spec(Map<String, Object> object) {
        return map(object, "spec");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        return (Map<String, Object>) m.get(key);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Map<String, Object> m, String key) {
        return (List<Map<String, Object>>) m.get(key);
    }
}
