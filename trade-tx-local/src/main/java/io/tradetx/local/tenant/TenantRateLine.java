package io.tradetx.local.tenant;

import java.util.List;

/**
 * What a line typed during {@code ./trade-tx local --tenants} means: {@code a 1000} sets tenant a's producer rate
 * (the local twin of {@code ./deploy-producer.sh --tenant a 1000}), a bare number does so when there is one tenant,
 * {@code q} stops the run.
 */
public sealed interface TenantRateLine {
    /** The largest rate a line may set, as for a run without tenants. */
    int MAX_RATE = 1_000_000;

    /** Set {@code tenant}'s producer to {@code rate} msg/s. */
    record Rate(String tenant, int rate) implements TenantRateLine {
    }

    /** q or quit. */
    record Quit() implements TenantRateLine {
    }

    /** An empty line. */
    record Blank() implements TenantRateLine {
    }

    /** Anything else; {@code why} says what to type instead. */
    record Invalid(String why) implements TenantRateLine {
    }

    static TenantRateLine parse(String line, List<String> tenants) {
        String v = line.strip();
        if (v.isEmpty()) {
            return new Blank();
        }
        if (v.equalsIgnoreCase("q") || v.equalsIgnoreCase("quit")) {
            return new Quit();
        }
        String[] parts = v.split("\\s+");
        String example = tenants.get(0) + " 1000";
        if (parts.length == 1) {
            if (!isRate(parts[0])) {
                return new Invalid("'" + v + "' is not a tenant and a rate: type e.g. " + example + " and Enter, or q");
            }
            if (tenants.size() > 1) {
                return new Invalid("whose rate? type the tenant first, e.g. " + example);
            }
            return new Rate(tenants.get(0), Integer.parseInt(parts[0]));
        }
        if (parts.length != 2 || !isRate(parts[1])) {
            return new Invalid("'" + v + "' is not a tenant and a rate: type e.g. " + example + " (0 to " + MAX_RATE
                    + " msg/s) and Enter, or q");
        }
        if (!tenants.contains(parts[0])) {
            return new Invalid("no tenant '" + parts[0] + "' in this run (" + String.join(", ", tenants) + ")");
        }
        return new Rate(parts[0], Integer.parseInt(parts[1]));
    }

    private static boolean isRate(String s) {
        return s.matches("\\d{1,7}") && Integer.parseInt(s) <= MAX_RATE;
    }
}
