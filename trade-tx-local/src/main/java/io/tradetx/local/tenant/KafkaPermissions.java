package io.tradetx.local.tenant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * infra-tf/kafka-permissions.json, strictly parsed: per workload of a tenant (producer, consumer,
 * keda-reader), the MSK IAM actions it needs on each resource kind. Terraform builds the tenants'
 * IAM policies from the same file; {@link IamAclMapping} turns it into the local broker's ACLs.
 */
public record KafkaPermissions(Map<String, List<Statement>> workloads) {
    /** Where the file lives, relative to the repository root. */
    public static final String DEFAULT_PATH = "infra-tf/kafka-permissions.json";

    /** The kinds of resource a statement can name; each maps to one exact ARN, or one exact ACL resource. */
    public enum ResourceKind {
        CLUSTER,
        TOPIC,
        DEAD_LETTER_TOPIC,
        GROUP;

        /** The name used in the file and in Terraform: cluster, topic, dead_letter_topic, group. */
        public String fileName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static ResourceKind fromFile(String name) {
            for (ResourceKind k : values()) {
                if (k.fileName().equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** One IAM statement: these actions allowed on the tenant's resource of this kind. */
    public record Statement(String sid, ResourceKind resource, List<String> actions, String why) {
        public Statement {
            actions = List.copyOf(actions);
        }
    }

    public KafkaPermissions {
        Map<String, List<Statement>> copy = new LinkedHashMap<>();
        workloads.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        workloads = java.util.Collections.unmodifiableMap(copy);
    }

    /** The statements of one workload; an unknown workload is an error, never an empty grant. */
    public List<Statement> statements(String workload) {
        List<Statement> s = workloads.get(workload);
        if (s == null) {
            throw new IllegalArgumentException("No workload '" + workload + "' in " + DEFAULT_PATH + " (has "
                    + workloads.keySet() + ")");
        }
        return s;
    }

    public static KafkaPermissions load(Path file) throws IOException {
        try {
            return parse(Files.readString(file));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parses the file's text; any unexpected field, kind or action format is an error naming where it is. */
    public static KafkaPermissions parse(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        onlyFields(root, "", Set.of("description", "workloads"));
        JsonNode workloads = root.get("workloads");
        if (workloads == null || !workloads.isObject() || workloads.isEmpty()) {
            throw new IllegalArgumentException("workloads: must be an object with at least one workload");
        }
        Map<String, List<Statement>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = workloads.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> w = it.next();
            String where = "workloads." + w.getKey();
            if (!w.getValue().isArray() || w.getValue().isEmpty()) {
                throw new IllegalArgumentException(where + ": must be a non-empty list of statements");
            }
            List<Statement> statements = new ArrayList<>();
            for (int i = 0; i < w.getValue().size(); i++) {
                statements.add(statement(w.getValue().get(i), where + "[" + i + "]"));
            }
            out.put(w.getKey(), statements);
        }
        return new KafkaPermissions(out);
    }

    private static Statement statement(JsonNode s, String where) {
        if (!s.isObject()) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        onlyFields(s, where + ".", Set.of("sid", "resource", "actions", "why"));
        String sid = text(s, where, "sid");
        String resourceName = text(s, where, "resource");
        ResourceKind kind = ResourceKind.fromFile(resourceName);
        if (kind == null) {
            throw new IllegalArgumentException(where + ".resource: '" + resourceName
                    + "' is not one of cluster, topic, dead_letter_topic, group");
        }
        JsonNode actions = s.get("actions");
        if (actions == null || !actions.isArray() || actions.isEmpty()) {
            throw new IllegalArgumentException(where + ".actions: must be a non-empty list");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode a : actions) {
            if (!a.isTextual() || !a.asText().matches("kafka-cluster:[A-Za-z]+")) {
                throw new IllegalArgumentException(where + ".actions: '" + a.asText()
                        + "' is not one named kafka-cluster: action (no wildcards)");
            }
            names.add(a.asText());
        }
        return new Statement(sid, kind, names, text(s, where, "why"));
    }

    private static String text(JsonNode node, String where, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(where + "." + field + ": must be a non-empty string");
        }
        return v.asText();
    }

    private static void onlyFields(JsonNode node, String where, Set<String> allowed) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new IllegalArgumentException(where + f + ": unknown field (allowed: "
                        + String.join(", ", new TreeSet<>(allowed)) + ")");
            }
        });
    }
}
