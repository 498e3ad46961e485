package io.tradetx.local.tenant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tenants declared in the deploy settings ({@code TENANTS=acme,globex}) and one tenant's settings:
 * the global ones overlaid by its derived names and its {@code TENANT_<NAME>_<SETTING>} lines, exactly
 * as scripts/lib.sh's parse_tenants and select_tenant read them (EnvGrammarTest keeps the two equal).
 */
public final class TenantDeploySettings {
    /** The tenant of a deployment without TENANTS; it keeps the names of .env. */
    public static final String SINGLE_TENANT = "default";

    /** The settings a tenant may set for itself, in scripts/lib.sh's order (TENANT_SETTINGS). */
    public static final List<String> TENANT_SETTINGS = List.of("K8S_NAMESPACE", "KAFKA_TOPIC", "DLQ_TOPIC",
            "CONSUMER_GROUP", "TOPIC_PARTITIONS", "TOPIC_REPLICATION_FACTOR", "MESSAGES_PER_SECOND", "BATCH_SIZE",
            "BATCH_TIMEOUT_SECONDS", "BATCH_PROCESSING_TIME", "MESSAGE_PROCESSING_TIME",
            "SHUTDOWN_GRACE_PERIOD_SECONDS", "GROUP_PROTOCOL", "LAG_THRESHOLD", "ACTIVATION_LAG_THRESHOLD",
            "RATE_THRESHOLD", "MAX_REPLICAS", "POLLING_INTERVAL", "COOLDOWN_PERIOD", "QUOTA_HEADROOM_PODS", "CONSUMER_CPU_REQUEST",
            "CONSUMER_MEMORY", "PRODUCER_CPU_REQUEST", "PRODUCER_MEMORY");

    private static final String TENANT_NAME = "[a-z]([a-z0-9-]{0,18}[a-z0-9])?";
    private static final Set<String> SHARED_NAMESPACES = Set.of("default", "kube-system", "kube-public",
            "kube-node-lease", "keda");

    private TenantDeploySettings() {
    }

    /**
     * The declared tenants, in order; empty without TENANTS. Refuses a bad or repeated name, and any
     * {@code TENANT_*} setting that is not exactly one declared tenant's setting.
     */
    public static List<String> tenants(Map<String, String> settings) {
        List<String> tenants = new ArrayList<>();
        for (String part : settings.getOrDefault("TENANTS", "").split(",", -1)) {
            String name = part.replaceAll("\\s", "");
            if (name.isEmpty()) {
                continue;
            }
            if (!name.matches(TENANT_NAME)) {
                throw new IllegalArgumentException("TENANTS: '" + name + "' is not a tenant name: 1-20 lower-case"
                        + " letters, digits and dashes, starting with a letter");
            }
            if (name.equals(SINGLE_TENANT)) {
                throw new IllegalArgumentException("TENANTS: '" + SINGLE_TENANT
                        + "' is reserved for the deployment without tenants");
            }
            if (tenants.contains(name)) {
                throw new IllegalArgumentException("TENANTS: '" + name + "' is listed twice");
            }
            tenants.add(name);
        }
        Map<String, String> owner = new HashMap<>();
        for (String tenant : tenants) {
            for (String setting : TENANT_SETTINGS) {
                String full = "TENANT_" + key(tenant) + "_" + setting;
                String previous = owner.putIfAbsent(full, tenant);
                if (previous != null) {
                    throw new IllegalArgumentException(full + " is ambiguous: tenants " + previous + " and " + tenant
                            + " both spell it; rename one of them");
                }
            }
        }
        for (String name : settings.keySet()) {
            if (name.startsWith("TENANT_") && !owner.containsKey(name)) {
                String declared = settings.getOrDefault("TENANTS", "");
                throw new IllegalArgumentException(name + " is not a per-tenant setting: use TENANT_<NAME>_<SETTING>,"
                        + " NAME one of TENANTS (" + (declared.isEmpty() ? "empty" : declared)
                        + ") upper-cased with - as _, SETTING one of " + String.join(" ", TENANT_SETTINGS));
            }
        }
        return List.copyOf(tenants);
    }

    /**
     * The settings one tenant deploys with: for a declared tenant its namespace
     * {@code <PROJECT_NAME>-<name>}, topic {@code <KAFKA_TOPIC>-<name>}, group {@code <CONSUMER_GROUP>-<name>}
     * and dead-letter topic {@code <its topic>.dlq}, then its own {@code TENANT_<NAME>_<SETTING>} values;
     * for {@code null} or {@link #SINGLE_TENANT} (only without TENANTS) the global settings. Both carry
     * {@code TENANT} and the derived {@code DLQ_TOPIC}.
     */
    public static Map<String, String> forTenant(Map<String, String> settings, String tenant) {
        List<String> tenants = tenants(settings);
        Map<String, String> out = new LinkedHashMap<>(settings);
        if (tenant == null || tenant.isEmpty() || tenant.equals(SINGLE_TENANT)) {
            if (!tenants.isEmpty()) {
                throw new IllegalArgumentException("TENANTS is set (" + settings.get("TENANTS")
                        + "): name the tenant with --tenant NAME (one of: " + String.join(" ", tenants) + ")");
            }
            out.put("TENANT", SINGLE_TENANT);
        } else {
            if (tenants.isEmpty()) {
                throw new IllegalArgumentException("--tenant " + tenant + ": no tenants are declared (TENANTS is empty)");
            }
            if (!tenants.contains(tenant)) {
                throw new IllegalArgumentException("--tenant " + tenant + ": unknown tenant; TENANTS declares: "
                        + String.join(" ", tenants));
            }
            out.put("TENANT", tenant);
            out.put("K8S_NAMESPACE", settings.get("PROJECT_NAME") + "-" + tenant);
            out.put("KAFKA_TOPIC", settings.get("KAFKA_TOPIC") + "-" + tenant);
            out.put("CONSUMER_GROUP", settings.get("CONSUMER_GROUP") + "-" + tenant);
            out.put("DLQ_TOPIC", "");
            for (String setting : TENANT_SETTINGS) {
                String own = settings.get("TENANT_" + key(tenant) + "_" + setting);
                if (own != null) {
                    out.put(setting, own);
                }
            }
            String namespace = out.get("K8S_NAMESPACE");
            if (SHARED_NAMESPACES.contains(namespace)
                    || namespace.equals(settings.getOrDefault("MONITORING_NAMESPACE", "monitoring"))) {
                throw new IllegalArgumentException("tenant " + tenant + ": K8S_NAMESPACE=" + namespace + " is shared;"
                        + " a tenant needs a namespace of its own (its NetworkPolicies deny everything else)");
            }
        }
        String deadLetter = out.getOrDefault("DLQ_TOPIC", "");
        out.put("DLQ_TOPIC", deadLetter.isEmpty() ? out.get("KAFKA_TOPIC") + ".dlq" : deadLetter);
        return out;
    }

    /** The NAME part of {@code TENANT_<NAME>_<SETTING>}: the tenant upper-cased, - as _. */
    public static String key(String tenant) {
        return tenant.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
