package io.tradetx.local.tenant;

import io.tradetx.common.config.Env;
import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.local.scale.LayeredSettings;
import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One tenant of {@code ./trade-tx local --tenants}: its deploy settings exactly as {@code deploy-*.sh --tenant NAME}
 * sees them (its derived names, then its own {@code TENANT_<NAME>_<SETTING>} values), and what the local run takes
 * from them: its topics and group, its consumers' settings, its ScaledObject, its first producer rate.
 *
 * @param ownRate the tenant's own {@code TENANT_<NAME>_MESSAGES_PER_SECOND}, or null
 * @param sources per setting, the value and where it came from (a {@code TENANT_<NAME>_<SETTING>} keeps its name)
 */
public record LocalTenant(String name, Map<String, String> settings, Integer ownRate,
                          Map<String, LayeredSettings.Setting> sources) {

    /** Per-tenant settings the local consumers read; the others are Kubernetes' (requests, quota) or Terraform's. */
    static final List<String> CONSUMER_SETTINGS = LayeredSettings.CONSUMER_SETTINGS;

    public LocalTenant {
        settings = Map.copyOf(settings);
        sources = Map.copyOf(sources);
    }

    /**
     * One line per named setting the tenant has, in the given order, saying where its value came from:
     * {@code BATCH_SIZE=100 (.env.example)}, {@code TENANT_A_LAG_THRESHOLD=500 (.env)},
     * {@code KAFKA_TOPIC=trade-tx-a (derived from tenant a)}; secrets redacted.
     */
    public List<String> describe(Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            LayeredSettings.Setting s = sources.get(name);
            if (s != null) {
                out.add(s.describe());
            }
        }
        return out;
    }

    /** Its topic, dead-letter topic and group, whose names its ACLs carry. */
    public TenantResources resources() {
        return new TenantResources(name, settings.get("KAFKA_TOPIC"), settings.get("DLQ_TOPIC"),
                settings.get("CONSUMER_GROUP"));
    }

    /** Its namespace on Kubernetes: locally the tag of its meters, as Prometheus labels its pods' series there. */
    public String namespace() {
        return settings.get("K8S_NAMESPACE");
    }

    /** Its topic's partitions (TOPIC_PARTITIONS). */
    public int partitions() {
        String v = settings.getOrDefault("TOPIC_PARTITIONS", "");
        if (!v.matches("[1-9][0-9]{0,3}") || Integer.parseInt(v) > 10_000) {
            throw new InvalidSettingsException(List.of("tenant " + name + ": TOPIC_PARTITIONS=" + v
                    + " is invalid: must be an integer from 1 to 10000"));
        }
        return Integer.parseInt(v);
    }

    /**
     * Its consumers' settings, validated: the shell's environment (SINK, KAFKA_CLIENT_*, ...) with the tenant's own
     * consumer settings on top, on a single local broker (replication 1). The Kafka login is set once the broker
     * runs ({@code withKafka}); a bad value stops the run naming the tenant.
     */
    public ConsumerSettings consumerSettings(Map<String, String> shell) {
        Map<String, String> env = new HashMap<>(shell);
        for (String setting : CONSUMER_SETTINGS) {
            String v = settings.get(setting);
            if (v != null) {
                env.put(setting, v);
            }
        }
        env.put("TOPIC_REPLICATION_FACTOR", "1");
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        env.put("KAFKA_AUTH", "none");
        env.remove("KAFKA_SASL_USERNAME");
        env.remove("KAFKA_SASL_PASSWORD");
        try {
            return ConsumerSettings.fromEnv(new Env(env));
        } catch (InvalidSettingsException e) {
            throw new InvalidSettingsException(e.problems().stream().map(p -> "tenant " + name + ": " + p).toList());
        }
    }

    /**
     * Its ScaledObject: {@code yaml} (k8s/scaledobject.yaml) with the placeholders filled from its settings, as
     * deploy-consumer.sh --tenant renders it; {@code overrides} (--set) win.
     */
    public ScaledObjectSpec scaledObject(String yaml, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(settings);
        values.putAll(overrides);
        return ScaledObjectParser.parse(Placeholders.fill(yaml, values));
    }
}
