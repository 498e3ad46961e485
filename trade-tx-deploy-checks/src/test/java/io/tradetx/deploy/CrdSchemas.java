package io.tradetx.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The CustomResourceDefinitions under {@code .ci/schemas/} (the real KEDA CRDs of each checked
 * version, a ServiceMonitor subset), indexed by {@code apiVersion} and {@code kind}.
 */
final class CrdSchemas {
    /** One version of one CRD: where it came from (e.g. {@code keda/v2.20.2}) and its openAPIV3Schema. */
    record Schema(String source, Map<String, Object> openApiV3Schema) {
    }

    private final Map<String, List<Schema>> byApiVersionAndKind = new LinkedHashMap<>();

    static CrdSchemas load(Path dir) {
        CrdSchemas schemas = new CrdSchemas();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                String source = dir.relativize(f.getParent()).toString().replace('\\', '/');
                schemas.add(source, Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return schemas;
    }

    @SuppressWarnings("unchecked")
    private void add(String source, String text) {
        for (Object o : new Yaml().loadAll(text)) {
            if (!(o instanceof Map<?, ?> crd) || !"CustomResourceDefinition".equals(crd.get("kind"))) {
                continue;
            }
            Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
            String group = (String) spec.get("group");
            String kind = (String) ((Map<String, Object>) spec.get("names")).get("kind");
            for (Map<String, Object> version : (List<Map<String, Object>>) spec.get("versions")) {
                Map<String, Object> schema = (Map<String, Object>) ((Map<String, Object>) version.get("schema"))
                        .get("openAPIV3Schema");
                byApiVersionAndKind.computeIfAbsent(key(group + "/" + version.get("name"), kind),
                        k -> new ArrayList<>()).add(new Schema(source, schema));
            }
        }
    }

    /** Every schema of that apiVersion and kind (one per checked release); empty when there is none. */
    List<Schema> forKind(String apiVersion, String kind) {
        return byApiVersionAndKind.getOrDefault(key(apiVersion, kind), List.of());
    }

    /** The sources (directories) that define the kind, e.g. {@code [keda/v2.18.0, keda/v2.20.2]}. */
    List<String> sources(String apiVersion, String kind) {
        return forKind(apiVersion, kind).stream().map(Schema::source).toList();
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + " " + kind;
    }
}
