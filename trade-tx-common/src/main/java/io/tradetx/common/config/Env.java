package io.tradetx.common.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Reads typed, validated settings from environment variables, collecting every problem so that a
 * bad configuration is reported in full, one line per variable, before the program starts.
 */
public final class Env {
    private final Map<String, String> vars;
    private final List<String> problems = new ArrayList<>();

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The raw value, or null when unset or blank (blank counts as unset, as in Kubernetes env). */
    public String raw(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> out = new TreeMap<>();
        vars.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return Collections.unmodifiableMap(out);
    }

    public String string(String name, String defaultValue) {
        String v = raw(name);
        return v == null ? defaultValue : v;
    }

    public String required(String name, String allowed) {
        String v = raw(name);
        if (v == null) {
            problem(name, null, allowed);
        }
        return v;
    }

    public int integer(String name, int defaultValue, int min, int max) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(v);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(name, v, "an integer from " + min + " to " + max);
        return defaultValue;
    }

    public double decimal(String name, double defaultValue, double min, double max) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            double parsed = Double.parseDouble(v);
            if (Double.isFinite(parsed) && parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problem(name, v, "a number from " + plain(min) + " to " + plain(max));
        return defaultValue;
    }

    public <E extends Enum<E>> E choice(String name, E defaultValue, Class<E> type) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(v)) {
                return e;
            }
        }
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            allowed.add(e.name().toLowerCase(Locale.ROOT));
        }
        problem(name, v, "one of " + String.join(", ", allowed));
        return defaultValue;
    }

    /** Validates a value with a parser that throws IllegalArgumentException with what is allowed. */
    public <T> T parsed(String name, T defaultValue, Function<String, T> parser) {
        String v = raw(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return parser.apply(v);
        } catch (IllegalArgumentException e) {
            problem(name, v, e.getMessage());
            return defaultValue;
        }
    }

    public void check(boolean ok, String name, String value, String allowed) {
        if (!ok) {
            problem(name, value, allowed);
        }
    }

    public void problem(String name, String value, String allowed) {
        problems.add(value == null
                ? name + " is not set: must be " + allowed
                : name + "=" + value + " is invalid: must be " + allowed);
    }

    /** Throws if any problem was recorded; call once after reading every setting. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new InvalidSettingsException(problems);
        }
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
