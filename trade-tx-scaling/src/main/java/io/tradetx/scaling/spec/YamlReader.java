package io.tradetx.scaling.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed, path-aware reads from a SnakeYAML tree that collect problems instead of throwing. */
final class YamlReader {

    private final List<String> problems = new ArrayList<>();

    List<String> problems() {
        return problems;
    }

    void problem(String path, String message) {
        problems.add(path + ": " + message);
    }

    /** Reports every key of {@code map} not in {@code known} as an unknown field. */
    void onlyKnown(Map<String, Object> map, String path, Set<String> known) {
        for (String key : map.keySet()) {
            if (!known.contains(key)) {
                problem(join(path, key), "unknown field");
            }
        }
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The child mapping at {@code key}, an empty map when absent, null (with a problem) when not a mapping. */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(Map<String, Object> parent, String path, String key) {
        Object v = parent.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Map<?, ?> m) {
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    problem(join(path, key), "key " + k + " must be a string");
                    return null;
                }
            }
            return (Map<String, Object>) m;
        }
        problem(join(path, key), "must be a mapping");
        return null;
    }

    /** The list at {@code key}, null when absent or not a list (with a problem). */
    List<?> list(Map<String, Object> parent, String path, String key) {
        Object v = parent.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return l;
        }
        problem(join(path, key), "must be a list");
        return null;
    }

    /** A string field; numbers and booleans are problems, as Kubernetes would reject them too. */
    String string(Map<String, Object> parent, String path, String key) {
        Object v = parent.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        problem(join(path, key), "must be a string (quote it: \"" + v + "\")");
        return null;
    }

    /** An integer field within [min, max], {@code dflt} when absent. */
    Integer integer(Map<String, Object> parent, String path, String key, Integer dflt, long min, long max) {
        Object v = parent.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Integer || v instanceof Long)) {
            problem(join(path, key), "must be an integer, was '" + v + "'");
            return dflt;
        }
        long n = ((Number) v).longValue();
        if (n < min || n > max) {
            problem(join(path, key), "must be between " + min + " and " + max + ", was " + n);
            return dflt;
        }
        return (int) n;
    }

    /** A boolean field, {@code dflt} when absent. */
    boolean bool(Map<String, Object> parent, String path, String key, boolean dflt) {
        Object v = parent.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        problem(join(path, key), "must be true or false, was '" + v + "'");
        return dflt;
    }
}
