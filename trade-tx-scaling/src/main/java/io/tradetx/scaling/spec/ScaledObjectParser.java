package io.tradetx.scaling.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses KEDA ScaledObject YAML strictly: unknown fields, bad values and invalid combinations are all
 * collected, with their YAML path, into one {@link ScaledObjectParseException}.
 */
public final class ScaledObjectParser {

    static final String API_VERSION = "keda.sh/v1alpha1";

    private static final Set<String> ROOT = Set.of("apiVersion", "kind", "metadata", "spec", "status");
    private static final Set<String> METADATA = Set.of("name", "namespace", "labels", "annotations", "generateName",
            "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "finalizers",
            "ownerReferences", "managedFields");
    private static final Set<String> SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback",
            "advanced", "triggers");
    private static final Set<String> TARGET_REF = Set.of("apiVersion", "kind", "name", "envSourceContainerName");
    private static final Set<String> FALLBACK = Set.of("failureThreshold", "replicas", "behavior");
    private static final Set<String> ADVANCED = Set.of("restoreToOriginalReplicaCount",
            "horizontalPodAutoscalerConfig", "scalingModifiers");
    private static final Set<String> HPA_CONFIG = Set.of("name", "behavior");
    private static final Set<String> BEHAVIOR = Set.of("scaleUp", "scaleDown");
    private static final Set<String> RULES = Set.of("stabilizationWindowSeconds", "selectPolicy", "policies",
            "tolerance");
    private static final Set<String> POLICY = Set.of("type", "value", "periodSeconds");
    private static final Set<String> TRIGGER = Set.of("type", "name", "metadata", "authenticationRef",
            "metricType", "useCachedMetrics");
    private static final Set<String> AUTH_REF = Set.of("name", "kind");
    /** Metadata the model reads. */
    private static final Set<String> KAFKA_MODEL = Set.of("bootstrapServers", "consumerGroup", "topic",
            "lagThreshold", "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
            "excludePersistentLag", "scaleToZeroOnInvalidOffset", "limitToPartitionsWithLag",
            "ensureEvenDistributionOfPartitions", "partitionLimitation");
    /** Metadata KEDA's kafka scaler knows that does not change the model (connection, auth). */
    private static final Set<String> KAFKA_OTHER = Set.of("bootstrapServersFromEnv", "consumerGroupFromEnv",
            "topicFromEnv", "version", "sasl", "saslTokenProvider", "username", "password", "tls", "ca", "cert",
            "key", "keyPassword", "unsafeSsl", "awsRegion", "awsEndpoint", "awsRoleArn", "oauthTokenEndpointUri",
            "scopes", "oauthExtensions", "realm", "kerberosConfig", "serviceName", "keytab",
            "kerberosDisableFAST");

    /** Prometheus metadata the model reads. */
    private static final Set<String> PROMETHEUS_MODEL = Set.of("serverAddress", "query", "threshold",
            "activationThreshold", "ignoreNullValues");
    /**
     * Metadata KEDA's prometheus scaler reads from the trigger that does not change the model (pkg/scalers/
     * prometheus_scaler.go and the trigger-metadata fields of its authentication config).
     */
    private static final Set<String> PROMETHEUS_OTHER = Set.of("queryParameters", "namespace", "customHeaders",
            "unsafeSsl", "awsRegion", "timeout", "identityOwner", "authModes", "authMode", "method", "keyParamName");

    private ScaledObjectParser() {
    }

    /** Parses the only ScaledObject document of {@code yaml} (other kinds, e.g. TriggerAuthentication, skipped). */
    public static ScaledObjectSpec parse(String yaml) {
        List<ScaledObjectSpec> all = parseAll(yaml);
        if (all.size() != 1) {
            throw new ScaledObjectParseException(List.of(
                    "expected exactly one document of kind ScaledObject, found " + all.size()));
        }
        return all.get(0);
    }

    /** Parses every ScaledObject document of {@code yaml}, in file order. */
    public static List<ScaledObjectSpec> parseAll(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            int index = 0;
            for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(yaml)) {
                index++;
                if (doc == null) {
                    continue;
                }
                if (!(doc instanceof Map<?, ?> m)) {
                    problems.add("document " + index + ": must be a mapping");
                    continue;
                }
                if ("ScaledObject".equals(m.get("kind"))) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> typed = (Map<String, Object>) m;
                    docs.add(typed);
                }
            }
        } catch (YAMLException e) {
            throw new ScaledObjectParseException(List.of("not valid YAML: " + e.getMessage()));
        }
        List<ScaledObjectSpec> specs = new ArrayList<>();
        for (int i = 0; i < docs.size(); i++) {
            YamlReader r = new YamlReader();
            ScaledObjectSpec spec = document(r, docs.get(i));
            String prefix = docs.size() > 1 ? "ScaledObject #" + (i + 1) + ": " : "";
            r.problems().forEach(p -> problems.add(prefix + p));
            if (r.problems().isEmpty()) {
                specs.add(spec);
            }
        }
        if (!problems.isEmpty()) {
            throw new ScaledObjectParseException(problems);
        }
        return specs;
    }

    private static ScaledObjectSpec document(YamlReader r, Map<String, Object> doc) {
        r.onlyKnown(doc, "", ROOT);
        String api = r.string(doc, "", "apiVersion");
        if (!API_VERSION.equals(api)) {
            r.problem("apiVersion", "must be " + API_VERSION + ", was " + api);
        }
        Map<String, Object> meta = r.map(doc, "", "metadata");
        String name = null;
        String namespace = null;
        if (meta == null) {
            r.problem("metadata", "required");
        } else {
            r.onlyKnown(meta, "metadata", METADATA);
            name = r.string(meta, "metadata", "name");
            namespace = r.string(meta, "metadata", "namespace");
            if (name == null || name.isBlank()) {
                r.problem("metadata.name", "required");
            }
        }
        Map<String, Object> spec = r.map(doc, "", "spec");
        if (spec == null) {
            r.problem("spec", "required");
            return null;
        }
        r.onlyKnown(spec, "spec", SPEC);
        List<String> warnings = new ArrayList<>();

        String targetKind = "Deployment";
        String targetName = null;
        Map<String, Object> ref = r.map(spec, "spec", "scaleTargetRef");
        if (ref == null) {
            r.problem("spec.scaleTargetRef", "required");
        } else {
            r.onlyKnown(ref, "spec.scaleTargetRef", TARGET_REF);
            targetName = r.string(ref, "spec.scaleTargetRef", "name");
            String kind = r.string(ref, "spec.scaleTargetRef", "kind");
            targetKind = kind == null ? targetKind : kind;
            if (targetName == null || targetName.isBlank()) {
                r.problem("spec.scaleTargetRef.name", "required");
            }
        }
        int polling = r.integer(spec, "spec", "pollingInterval", 30, 1, Integer.MAX_VALUE);
        int cooldown = r.integer(spec, "spec", "cooldownPeriod", 300, 0, Integer.MAX_VALUE);
        int initialCooldown = r.integer(spec, "spec", "initialCooldownPeriod", 0, 0, Integer.MAX_VALUE);
        int min = r.integer(spec, "spec", "minReplicaCount", 0, 0, Integer.MAX_VALUE);
        int max = r.integer(spec, "spec", "maxReplicaCount", ScaledObjectSpec.DEFAULT_MAX_REPLICAS, 1,
                Integer.MAX_VALUE);
        if (min > max) {
            r.problem("spec.minReplicaCount", "must not exceed maxReplicaCount (" + min + " > " + max + ")");
        }
        if (spec.containsKey("idleReplicaCount")) {
            r.problem("spec.idleReplicaCount", "not supported by the model (it scales between 0 and N only)");
        }
        Map<String, Object> fallback = r.map(spec, "spec", "fallback");
        if (fallback != null) {
            // Fallback only applies when the scaler errors, which the model never does.
            r.onlyKnown(fallback, "spec.fallback", FALLBACK);
        }
        HpaBehavior behavior = advanced(r, spec, warnings);
        Triggers triggers = triggers(r, spec);
        if (!r.problems().isEmpty()) {
            return null;
        }
        return new ScaledObjectSpec(name, namespace, targetKind, targetName, polling * 1000L, cooldown * 1000L,
                initialCooldown * 1000L, min, max, triggers.kafka(), behavior, warnings, 1.0, triggers.rate());
    }

    private static HpaBehavior advanced(YamlReader r, Map<String, Object> spec, List<String> warnings) {
        Map<String, Object> adv = r.map(spec, "spec", "advanced");
        if (adv == null) {
            return null;
        }
        String path = "spec.advanced";
        r.onlyKnown(adv, path, ADVANCED);
        r.bool(adv, path, "restoreToOriginalReplicaCount", false);
        if (adv.containsKey("scalingModifiers")) {
            r.problem(path + ".scalingModifiers", "not supported by the model (it takes the largest proposal of the triggers, as KEDA does without a formula)");
        }
        Map<String, Object> hpa = r.map(adv, path, "horizontalPodAutoscalerConfig");
        if (hpa == null) {
            return null;
        }
        path += ".horizontalPodAutoscalerConfig";
        r.onlyKnown(hpa, path, HPA_CONFIG);
        r.string(hpa, path, "name");
        Map<String, Object> behavior = r.map(hpa, path, "behavior");
        if (behavior == null) {
            return null;
        }
        path += ".behavior";
        r.onlyKnown(behavior, path, BEHAVIOR);
        ScalingRules up = rules(r, behavior, path, "scaleUp", ScalingRules.defaultScaleUp(), warnings);
        ScalingRules down = rules(r, behavior, path, "scaleDown", ScalingRules.defaultScaleDown(), warnings);
        return new HpaBehavior(up, down);
    }

    private static ScalingRules rules(YamlReader r, Map<String, Object> behavior, String parent, String key,
                                      ScalingRules defaults, List<String> warnings) {
        Map<String, Object> m = r.map(behavior, parent, key);
        if (m == null) {
            return defaults;
        }
        String path = parent + "." + key;
        r.onlyKnown(m, path, RULES);
        Integer window = r.integer(m, path, "stabilizationWindowSeconds", null, 0, 3600);
        long windowMillis = window == null ? defaults.stabilizationWindowMillis() : window * 1000L;
        SelectPolicy select = defaults.selectPolicy();
        String selectText = r.string(m, path, "selectPolicy");
        if (selectText != null) {
            select = SelectPolicy.fromYaml(selectText);
            if (select == null) {
                r.problem(path + ".selectPolicy", "must be Max, Min or Disabled, was '" + selectText + "'");
                select = defaults.selectPolicy();
            }
        }
        List<ScalingPolicy> policies = defaults.policies();
        List<?> list = r.list(m, path, "policies");
        if (list != null) {
            if (list.isEmpty()) {
                r.problem(path + ".policies", "must specify at least one policy");
            }
            policies = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                ScalingPolicy p = policy(r, list.get(i), path + ".policies[" + i + "]");
                if (p != null) {
                    policies.add(p);
                }
            }
        }
        String tolerance = null;
        Object tol = m.get("tolerance");
        if (tol != null) {
            tolerance = String.valueOf(tol);
            warnings.add(path + ".tolerance: ignored (needs the HPAConfigurableTolerance feature gate, "
                    + "off by default and on EKS); the HPA uses 0.1");
        }
        return new ScalingRules(windowMillis, select, policies, tolerance);
    }

    private static ScalingPolicy policy(YamlReader r, Object item, String path) {
        if (!(item instanceof Map<?, ?> raw)) {
            r.problem(path, "must be a mapping");
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) raw;
        r.onlyKnown(m, path, POLICY);
        String typeText = r.string(m, path, "type");
        PolicyType type = typeText == null ? null : PolicyType.fromYaml(typeText);
        if (typeText == null) {
            r.problem(path + ".type", "required");
        } else if (type == null) {
            r.problem(path + ".type", "must be Pods or Percent, was '" + typeText + "'");
        }
        Integer value = r.integer(m, path, "value", null, 1, Integer.MAX_VALUE);
        if (value == null && !m.containsKey("value")) {
            r.problem(path + ".value", "required");
        }
        Integer period = r.integer(m, path, "periodSeconds", null, 1, 1800);
        if (period == null && !m.containsKey("periodSeconds")) {
            r.problem(path + ".periodSeconds", "required");
        }
        if (type == null || value == null || period == null) {
            return null;
        }
        return ScalingPolicy.ofSeconds(type, value, period);
    }

    private record Triggers(KafkaTriggerSpec kafka, PrometheusTriggerSpec rate) {
    }

    /** One kafka trigger, and at most one prometheus trigger on the same topic's ingest rate. */
    private static Triggers triggers(YamlReader r, Map<String, Object> spec) {
        List<?> triggers = r.list(spec, "spec", "triggers");
        if (triggers == null || triggers.isEmpty()) {
            r.problem("spec.triggers", "required: one kafka trigger");
            return new Triggers(null, null);
        }
        KafkaTriggerSpec kafka = null;
        PrometheusTriggerSpec rate = null;
        List<Map<String, Object>> prometheus = new ArrayList<>();
        List<String> prometheusPaths = new ArrayList<>();
        int kafkaCount = 0;
        for (int i = 0; i < triggers.size(); i++) {
            String path = "spec.triggers[" + i + "]";
            if (!(triggers.get(i) instanceof Map<?, ?> raw)) {
                r.problem(path, "must be a mapping");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> t = (Map<String, Object>) raw;
            r.onlyKnown(t, path, TRIGGER);
            String type = r.string(t, path, "type");
            if ("kafka".equals(type)) {
                kafkaCount++;
                if (kafkaCount == 1) {
                    kafka = kafkaTrigger(r, t, path);
                }
            } else if ("prometheus".equals(type)) {
                prometheus.add(t);
                prometheusPaths.add(path);
            } else {
                r.problem(path + ".type", "must be kafka or prometheus, was '" + type + "'");
            }
        }
        if (kafkaCount != 1) {
            r.problem("spec.triggers", "the model needs exactly one kafka trigger, found " + kafkaCount);
        }
        if (prometheus.size() > 1) {
            r.problem("spec.triggers", "the model supports at most one prometheus trigger (the topic's ingest rate), "
                    + "found " + prometheus.size());
        } else if (prometheus.size() == 1) {
            rate = prometheusTrigger(r, prometheus.get(0), prometheusPaths.get(0), kafka == null ? null : kafka.topic());
        }
        return new Triggers(kafka, rate);
    }

    private static KafkaTriggerSpec kafkaTrigger(YamlReader r, Map<String, Object> t, String path) {
        r.string(t, path, "name");
        r.bool(t, path, "useCachedMetrics", false);
        averageValueOnly(r, t, path, "lag", "lagThreshold");
        String[] auth = authenticationRef(r, t, path);
        Map<String, Object> meta = r.map(t, path, "metadata");
        if (meta == null) {
            r.problem(path + ".metadata", "required");
            return null;
        }
        return kafkaMetadata(r, meta, path + ".metadata", auth[0], auth[1]);
    }

    /** Only AverageValue makes the HPA divide the metric by the replicas, which the model (and lag) needs. */
    private static void averageValueOnly(YamlReader r, Map<String, Object> t, String path, String what,
                                         String thresholdName) {
        String metricType = r.string(t, path, "metricType");
        if ("Value".equals(metricType)) {
            r.problem(path + ".metricType", "Value is not supported: the HPA would compare the whole " + what + " with "
                    + thresholdName + " instead of the " + what + " per replica; use AverageValue");
        } else if ("Utilization".equals(metricType)) {
            r.problem(path + ".metricType", "Utilization is only for cpu and memory triggers; use AverageValue");
        } else if (metricType != null && !"AverageValue".equals(metricType)) {
            r.problem(path + ".metricType", "must be AverageValue, was '" + metricType + "'");
        }
    }

    /** {name, kind} of the trigger's authenticationRef, nulls when absent. */
    private static String[] authenticationRef(YamlReader r, Map<String, Object> t, String path) {
        Map<String, Object> auth = r.map(t, path, "authenticationRef");
        if (auth == null) {
            return new String[2];
        }
        r.onlyKnown(auth, path + ".authenticationRef", AUTH_REF);
        String kind = r.string(auth, path + ".authenticationRef", "kind");
        if (kind != null && !kind.equals("TriggerAuthentication") && !kind.equals("ClusterTriggerAuthentication")) {
            r.problem(path + ".authenticationRef.kind", "must be TriggerAuthentication or ClusterTriggerAuthentication,"
                    + " was '" + kind + "'");
        }
        return new String[] {r.string(auth, path + ".authenticationRef", "name"), kind};
    }

    private static PrometheusTriggerSpec prometheusTrigger(YamlReader r, Map<String, Object> t, String path,
                                                           String topic) {
        r.string(t, path, "name");
        r.bool(t, path, "useCachedMetrics", false);
        averageValueOnly(r, t, path, "ingest rate", "threshold");
        String[] auth = authenticationRef(r, t, path);
        Map<String, Object> meta = r.map(t, path, "metadata");
        if (meta == null) {
            r.problem(path + ".metadata", "required");
            return null;
        }
        path += ".metadata";
        Map<String, String> other = otherMetadata(r, meta, path, PROMETHEUS_MODEL, PROMETHEUS_OTHER);
        String server = r.string(meta, path, "serverAddress");
        if (server == null || server.isBlank()) {
            r.problem(path + ".serverAddress", "required");
        }
        String query = r.string(meta, path, "query");
        long window = 0;
        if (query == null) {
            r.problem(path + ".query", "required");
        } else {
            try {
                window = IngestRateQuery.parse(query, topic).windowMillis();
            } catch (IllegalArgumentException e) {
                r.problem(path + ".query", e.getMessage());
            }
        }
        double threshold = doubleValue(r, meta, path, "threshold", Double.NaN);
        if (Double.isNaN(threshold) && !meta.containsKey("threshold")) {
            r.problem(path + ".threshold", "required");
        } else if (!(threshold > 0)) {
            r.problem(path + ".threshold", "must be greater than 0, was " + threshold);
        }
        double activation = doubleValue(r, meta, path, "activationThreshold", 0);
        if (!(activation >= 0)) {
            r.problem(path + ".activationThreshold", "must not be negative, was " + activation);
        }
        String ignoreNull = r.string(meta, path, "ignoreNullValues");
        if (ignoreNull != null) {
            Boolean b = parseBool(ignoreNull);
            if (b == null) {
                r.problem(path + ".ignoreNullValues", "must be true or false, was '" + ignoreNull + "'");
            } else if (!b) {
                r.problem(path + ".ignoreNullValues", "false is not supported by the model: an empty result (fewer "
                        + "than two samples in the window) would be a scaler error; leave the default true (value 0)");
            } else {
                other.put("ignoreNullValues", ignoreNull);
            }
        }
        if (!r.problems().isEmpty()) {
            return null;
        }
        return new PrometheusTriggerSpec(server, query, threshold, activation, window, other, auth[0], auth[1],
                PrometheusTriggerSpec.DEFAULT_SCRAPE_INTERVAL_MILLIS, PrometheusTriggerSpec.DEFAULT_SCRAPE_OFFSET_MILLIS);
    }

    /** A float as KEDA's prometheus scaler parses it (Go's strconv.ParseFloat). */
    private static double doubleValue(YamlReader r, Map<String, Object> meta, String path, String key, double dflt) {
        String s = r.string(meta, path, key);
        if (s == null) {
            return dflt;
        }
        try {
            double v = Double.parseDouble(s.trim());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            r.problem(path + "." + key, "must be a number, was '" + s + "'");
            return Double.NaN;
        }
    }

    /**
     * Reports metadata that is neither read by the model nor known to the scaler; returns the known ones the model
     * does not read, in file order, to be written back as they are.
     */
    private static Map<String, String> otherMetadata(YamlReader r, Map<String, Object> meta, String path,
                                                     Set<String> model, Set<String> known) {
        Map<String, String> other = new LinkedHashMap<>();
        for (String key : meta.keySet()) {
            if (!model.contains(key) && !known.contains(key)) {
                r.problem(path + "." + key, "unknown field");
            } else if (known.contains(key)) {
                String v = r.string(meta, path, key);
                if (v != null) {
                    other.put(key, v);
                }
            }
        }
        return other;
    }

    private static KafkaTriggerSpec kafkaMetadata(YamlReader r, Map<String, Object> meta, String path,
                                                  String authName, String authKind) {
        Map<String, String> other = otherMetadata(r, meta, path, KAFKA_MODEL, KAFKA_OTHER);
        String bootstrap = r.string(meta, path, "bootstrapServers");
        if (bootstrap == null && !other.containsKey("bootstrapServersFromEnv")) {
            r.problem(path + ".bootstrapServers", "required");
        }
        String group = r.string(meta, path, "consumerGroup");
        if (group == null && !other.containsKey("consumerGroupFromEnv")) {
            r.problem(path + ".consumerGroup", "required");
        }
        String topic = r.string(meta, path, "topic");
        long lagThreshold = longValue(r, meta, path, "lagThreshold", 10);
        if (lagThreshold <= 0) {
            r.problem(path + ".lagThreshold", "must be greater than 0, was " + lagThreshold);
        }
        long activation = longValue(r, meta, path, "activationLagThreshold", 0);
        if (activation < 0) {
            r.problem(path + ".activationLagThreshold", "must not be negative, was " + activation);
        }
        OffsetResetPolicy reset = OffsetResetPolicy.LATEST;
        String resetText = r.string(meta, path, "offsetResetPolicy");
        if (resetText != null) {
            switch (resetText) {
                case "latest" -> reset = OffsetResetPolicy.LATEST;
                case "earliest" -> reset = OffsetResetPolicy.EARLIEST;
                default -> r.problem(path + ".offsetResetPolicy", "must be latest or earliest, was '"
                        + resetText + "'");
            }
        }
        boolean allowIdle = boolValue(r, meta, path, "allowIdleConsumers");
        boolean excludePersistent = boolValue(r, meta, path, "excludePersistentLag");
        boolean scaleToZero = boolValue(r, meta, path, "scaleToZeroOnInvalidOffset");
        boolean limitToLag = boolValue(r, meta, path, "limitToPartitionsWithLag");
        boolean even = boolValue(r, meta, path, "ensureEvenDistributionOfPartitions");
        if (allowIdle && limitToLag) {
            r.problem(path + ".limitToPartitionsWithLag",
                    "cannot be combined with allowIdleConsumers (KEDA rejects both true)");
        }
        if (limitToLag && even) {
            r.problem(path + ".ensureEvenDistributionOfPartitions",
                    "cannot be combined with limitToPartitionsWithLag (KEDA rejects both true)");
        }
        if (limitToLag && topic == null) {
            r.problem(path + ".topic", "required when limitToPartitionsWithLag is true");
        }
        String limitation = r.string(meta, path, "partitionLimitation");
        if (limitation != null) {
            if (topic == null) {
                r.problem(path + ".topic", "required when partitionLimitation is set");
            }
            try {
                KafkaTriggerSpec.parsePartitionLimitation(limitation);
            } catch (IllegalArgumentException e) {
                r.problem(path + ".partitionLimitation", e.getMessage());
            }
        }
        return new KafkaTriggerSpec(bootstrap, group, topic, lagThreshold, activation, reset, allowIdle,
                excludePersistent, scaleToZero, limitToLag, even, limitation, other, authName, authKind);
    }

    private static long longValue(YamlReader r, Map<String, Object> meta, String path, String key, long dflt) {
        String s = r.string(meta, path, key);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            r.problem(path + "." + key, "must be an integer, was '" + s + "'");
            return dflt;
        }
    }

    /** Go's strconv.ParseBool, which KEDA uses. */
    private static boolean boolValue(YamlReader r, Map<String, Object> meta, String path, String key) {
        String s = r.string(meta, path, key);
        if (s == null) {
            return false;
        }
        Boolean b = parseBool(s);
        if (b == null) {
            r.problem(path + "." + key, "must be true or false, was '" + s + "'");
            return false;
        }
        return b;
    }

    /** Go's strconv.ParseBool; null when the text is not a boolean. */
    private static Boolean parseBool(String s) {
        return switch (s) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> null;
        };
    }
}
