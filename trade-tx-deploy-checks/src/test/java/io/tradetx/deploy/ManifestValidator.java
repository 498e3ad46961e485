package io.tradetx.deploy;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.tradetx.deploy.RenderedManifests.Manifest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the schema of a Kubernetes object by its apiVersion and kind and validates the object
 * strictly: custom resources against every CRD version under {@code .ci/schemas/} that defines the
 * kind (the KEDA objects against each checked KEDA release), built-in kinds against the Kubernetes
 * model. A kind that has neither is itself an error, so a new manifest cannot go unchecked.
 */
final class ManifestValidator {
    static final Path SCHEMAS = RenderedManifests.ROOT.resolve(".ci/schemas");

    private final CrdSchemas crds;

    ManifestValidator(CrdSchemas crds) {
        this.crds = crds;
    }

    static ManifestValidator fromRepository() {
        return new ManifestValidator(CrdSchemas.load(SCHEMAS));
    }

    /** Every violation, each line naming the object, the schema it was checked against and the field. */
    List<String> validate(Manifest m) {
        String who = m.kind() + " " + m.name();
        if (m.apiVersion() == null || m.kind() == null) {
            return List.of("k8s/" + m.file() + ": an object without apiVersion or kind");
        }
        List<String> errors = new ArrayList<>();
        List<CrdSchemas.Schema> schemas = crds.forKind(m.apiVersion(), m.kind());
        if (!schemas.isEmpty()) {
            for (CrdSchemas.Schema schema : schemas) {
                for (String e : customResource(m.object(), schema)) {
                    errors.add(who + " [" + schema.source() + "]: " + e);
                }
            }
        } else if (KubernetesModelValidator.knows(m.apiVersion(), m.kind())) {
            for (String e : KubernetesModelValidator.validate(m.object())) {
                errors.add(who + ": " + e);
            }
        } else {
            errors.add(who + ": no schema for apiVersion " + m.apiVersion() + " kind " + m.kind()
                    + " (add its CRD under .ci/schemas/ or use a kind of the Kubernetes API)");
        }
        return errors;
    }

    /** The root's metadata is an ObjectMeta (the API server's own schema), the rest the CRD's. */
    private static List<String> customResource(Map<String, Object> object, CrdSchemas.Schema schema) {
        Map<String, Object> withoutMetadata = new LinkedHashMap<>(object);
        Object metadata = withoutMetadata.remove("metadata");
        List<String> errors = new ArrayList<>();
        if (!(metadata instanceof Map<?, ?> meta) || !(meta.get("name") instanceof String)) {
            errors.add("metadata.name: required field is missing");
        }
        if (metadata != null) {
            for (String e : KubernetesModelValidator.validate(metadata, ObjectMeta.class)) {
                errors.add(e.startsWith("(root)") ? "metadata" + e.substring("(root)".length()) : "metadata." + e);
            }
        }
        errors.addAll(CrdSchemaValidator.validate(withoutMetadata, schema.openApiV3Schema(), ""));
        return errors;
    }
}
