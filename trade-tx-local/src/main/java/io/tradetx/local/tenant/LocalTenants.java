package io.tradetx.local.tenant;

import io.tradetx.local.scale.LayeredSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tenants of {@code ./trade-tx local --tenants a,b} and their settings, read as the deploy scripts read them:
 * {@code .env.example}, then {@code .env}, then the shell's values of the same names (and of {@code TENANTS} and
 * {@code TENANT_*}), then per tenant {@link TenantDeploySettings#forTenant}, then the command line's options; each
 * value remembers where it came from. The tenants named on the command line are validated like {@code TENANTS};
 * those {@code .env} declares keep their {@code TENANT_<NAME>_*} lines valid.
 */
public final class LocalTenants {

    private LocalTenants() {
    }

    /** The deploy settings of the repository at {@code root}, with the shell's values of the same names on top. */
    public static Map<String, String> settings(Path root, Map<String, String> shell) throws IOException {
        return LayeredSettings.load(root, shell).values();
    }

    /**
     * The tenants named by {@code tenantsOption} (comma-separated), each with its settings; an empty option means
     * the tenants {@code TENANTS} declares. Throws IllegalArgumentException with one line saying what is wrong.
     */
    public static List<LocalTenant> resolve(Map<String, String> settings, String tenantsOption) {
        return resolve(LayeredSettings.of(settings, "given"), tenantsOption, Map.of());
    }

    /**
     * As {@link #resolve(Map, String)}, from the layers of {@code layered} with {@code options} (--set, --partitions)
     * as the last layer: {@code TENANT_<NAME>_<SETTING>} options set one tenant's value, any other option every
     * tenant's (over its own). Each tenant knows where each of its values came from ({@link LocalTenant#describe}).
     */
    public static List<LocalTenant> resolve(LayeredSettings layered, String tenantsOption, Map<String, String> options) {
        LayeredSettings layers = layered.withOptions(options);
        Map<String, String> settings = layers.values();
        Map<String, String> everyTenant = new LinkedHashMap<>(options);
        everyTenant.keySet().removeIf(name -> name.startsWith("TENANT_"));
        // The names first; the TENANT_* lines are checked below against the declared and the named tenants.
        List<String> declared = TenantDeploySettings.tenants(Map.of("TENANTS", settings.getOrDefault("TENANTS", "")));
        List<String> wanted;
        if (tenantsOption == null || tenantsOption.isBlank()) {
            if (declared.isEmpty()) {
                throw new IllegalArgumentException("--tenants: name the tenants (e.g. --tenants a,b) or declare"
                        + " TENANTS in .env");
            }
            wanted = declared;
        } else {
            try {
                wanted = TenantDeploySettings.tenants(Map.of("TENANTS", tenantsOption));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replaceFirst("^TENANTS:", "--tenants:"), e);
            }
            if (wanted.isEmpty()) {
                throw new IllegalArgumentException("--tenants: name at least one tenant, e.g. --tenants a,b");
            }
        }
        Set<String> all = new LinkedHashSet<>(declared);
        all.addAll(wanted);
        Map<String, String> combined = new LinkedHashMap<>(settings);
        combined.put("TENANTS", String.join(",", all));
        TenantDeploySettings.tenants(combined);
        List<LocalTenant> out = new ArrayList<>();
        Map<String, String> owners = new HashMap<>();
        for (String name : wanted) {
            Map<String, String> own = TenantDeploySettings.forTenant(combined, name);
            own.putAll(everyTenant);
            // As scripts/lib.sh's tenants_hcl: two tenants never share a topic or a group.
            for (String resource : new String[] {"topic:" + own.get("KAFKA_TOPIC"), "topic:" + own.get("DLQ_TOPIC"),
                "group:" + own.get("CONSUMER_GROUP")}) {
                String previous = owners.putIfAbsent(resource, name);
                if (previous != null) {
                    throw new IllegalArgumentException("tenant " + name + " shares the " + resource.replace(":", " ")
                            + " with tenant " + previous + ": every tenant needs its own");
                }
            }
            String key = "TENANT_" + TenantDeploySettings.key(name) + "_MESSAGES_PER_SECOND";
            String rate = settings.get(key);
            Integer ownRate = null;
            if (rate != null && !rate.isBlank()) {
                if (!rate.strip().matches("\\d{1,7}") || Integer.parseInt(rate.strip()) > 1_000_000) {
                    throw new IllegalArgumentException(key + "=" + rate + " is invalid: must be an integer from 0 to"
                            + " 1000000");
                }
                ownRate = Integer.parseInt(rate.strip());
            }
            out.add(new LocalTenant(name, own, ownRate, sources(layers, name, own, everyTenant.keySet())));
        }
        return out;
    }

    /**
     * Where each of a tenant's values came from: an option for every tenant; else its own
     * {@code TENANT_<NAME>_<SETTING>} (named so, with its layer); else the global setting's layer when the tenant has
     * its value; else derived from the tenant's name (its namespace, topics and group).
     */
    private static Map<String, LayeredSettings.Setting> sources(LayeredSettings all, String tenant,
                                                                Map<String, String> own, Set<String> everyTenant) {
        Map<String, LayeredSettings.Setting> out = new LinkedHashMap<>();
        own.forEach((setting, value) -> {
            LayeredSettings.Setting global = all.get(setting);
            LayeredSettings.Setting tenantOwn = all.get("TENANT_" + TenantDeploySettings.key(tenant) + "_" + setting);
            LayeredSettings.Setting source;
            if (everyTenant.contains(setting)) {
                source = global;
            } else if (tenantOwn != null) {
                source = tenantOwn;
            } else if (global != null && global.value().equals(value)) {
                source = global;
            } else {
                source = new LayeredSettings.Setting(setting, value, "derived from tenant " + tenant);
            }
            out.put(setting, source);
        });
        return out;
    }
}
