package io.tradetx.scaling.spec;

import java.util.Map;

/** Renders a {@link ScaledObjectSpec} as ScaledObject YAML that {@link ScaledObjectParser} reads back equal. */
public final class ScaledObjectWriter {

    private ScaledObjectWriter() {
    }

    /**
     * The YAML of {@code spec}. Times are written in whole seconds, so a spec with a speedup other than 1
     * (fractional seconds) is rejected.
     */
    public static String write(ScaledObjectSpec spec) {
        if (spec.speedup() != 1.0) {
            throw new IllegalArgumentException("write the spec before withSpeedup(); it has speedup " + spec.speedup());
        }
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: ").append(ScaledObjectParser.API_VERSION).append('\n');
        y.append("kind: ScaledObject\n");
        y.append("metadata:\n");
        y.append("  name: ").append(q(spec.name())).append('\n');
        if (spec.namespace() != null) {
            y.append("  namespace: ").append(q(spec.namespace())).append('\n');
        }
        y.append("spec:\n");
        y.append("  scaleTargetRef:\n");
        y.append("    kind: ").append(q(spec.scaleTargetKind())).append('\n');
        y.append("    name: ").append(q(spec.scaleTargetName())).append('\n');
        y.append("  pollingInterval: ").append(seconds(spec.pollingIntervalMillis())).append('\n');
        y.append("  cooldownPeriod: ").append(seconds(spec.cooldownPeriodMillis())).append('\n');
        y.append("  initialCooldownPeriod: ").append(seconds(spec.initialCooldownPeriodMillis())).append('\n');
        y.append("  minReplicaCount: ").append(spec.minReplicaCount()).append('\n');
        y.append("  maxReplicaCount: ").append(spec.maxReplicaCount()).append('\n');
        if (spec.behavior() != null) {
            y.append("  advanced:\n");
            y.append("    horizontalPodAutoscalerConfig:\n");
            y.append("      behavior:\n");
            rules(y, "scaleUp", spec.behavior().scaleUp());
            rules(y, "scaleDown", spec.behavior().scaleDown());
        }
        KafkaTriggerSpec k = spec.kafka();
        y.append("  triggers:\n");
        y.append("    - type: kafka\n");
        y.append("      metricType: AverageValue\n");
        y.append("      metadata:\n");
        meta(y, "bootstrapServers", k.bootstrapServers());
        meta(y, "consumerGroup", k.consumerGroup());
        meta(y, "topic", k.topic());
        meta(y, "lagThreshold", Long.toString(k.lagThreshold()));
        meta(y, "activationLagThreshold", Long.toString(k.activationLagThreshold()));
        meta(y, "offsetResetPolicy", k.offsetResetPolicy().yaml());
        meta(y, "allowIdleConsumers", Boolean.toString(k.allowIdleConsumers()));
        meta(y, "excludePersistentLag", Boolean.toString(k.excludePersistentLag()));
        meta(y, "scaleToZeroOnInvalidOffset", Boolean.toString(k.scaleToZeroOnInvalidOffset()));
        meta(y, "limitToPartitionsWithLag", Boolean.toString(k.limitToPartitionsWithLag()));
        meta(y, "ensureEvenDistributionOfPartitions", Boolean.toString(k.ensureEvenDistributionOfPartitions()));
        meta(y, "partitionLimitation", k.partitionLimitation());
        for (Map.Entry<String, String> e : k.otherMetadata().entrySet()) {
            meta(y, e.getKey(), e.getValue());
        }
        authenticationRef(y, k.authenticationRef(), k.authenticationKind());
        PrometheusTriggerSpec p = spec.rate();
        if (p != null) {
            y.append("    - type: prometheus\n");
            y.append("      metricType: AverageValue\n");
            y.append("      metadata:\n");
            meta(y, "serverAddress", p.serverAddress());
            meta(y, "query", p.query());
            meta(y, "threshold", PrometheusTriggerSpec.number(p.threshold()));
            meta(y, "activationThreshold", PrometheusTriggerSpec.number(p.activationThreshold()));
            for (Map.Entry<String, String> e : p.otherMetadata().entrySet()) {
                meta(y, e.getKey(), e.getValue());
            }
            authenticationRef(y, p.authenticationRef(), p.authenticationKind());
        }
        return y.toString();
    }

    private static void authenticationRef(StringBuilder y, String name, String kind) {
        if (name != null) {
            y.append("      authenticationRef:\n");
            y.append("        name: ").append(q(name)).append('\n');
            if (kind != null) {
                y.append("        kind: ").append(q(kind)).append('\n');
            }
        }
    }

    private static void rules(StringBuilder y, String key, ScalingRules r) {
        y.append("        ").append(key).append(":\n");
        y.append("          stabilizationWindowSeconds: ").append(seconds(r.stabilizationWindowMillis())).append('\n');
        y.append("          selectPolicy: ").append(r.selectPolicy().yaml()).append('\n');
        if (r.tolerance() != null) {
            y.append("          tolerance: ").append(q(r.tolerance())).append('\n');
        }
        y.append("          policies:\n");
        for (ScalingPolicy p : r.policies()) {
            y.append("            - type: ").append(p.type().yaml()).append('\n');
            y.append("              value: ").append(p.value()).append('\n');
            y.append("              periodSeconds: ").append(seconds(p.periodMillis())).append('\n');
        }
    }

    private static void meta(StringBuilder y, String key, String value) {
        if (value != null) {
            y.append("        ").append(key).append(": ").append(q(value)).append('\n');
        }
    }

    private static long seconds(long millis) {
        if (millis % 1000 != 0) {
            throw new IllegalArgumentException(millis + " ms is not a whole number of seconds");
        }
        return millis / 1000;
    }

    /** A double-quoted YAML scalar. */
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
