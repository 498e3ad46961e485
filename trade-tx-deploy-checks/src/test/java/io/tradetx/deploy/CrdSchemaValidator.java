package io.tradetx.deploy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validates a value against a CRD's structural OpenAPI v3 schema the way the API server does, but
 * stricter where it would silently prune: an unknown field is an error. An object schema without
 * {@code additionalProperties} or {@code x-kubernetes-preserve-unknown-fields: true} is closed,
 * {@code x-kubernetes-int-or-string: true} accepts an integer or a string; {@code type}, {@code required},
 * {@code enum}, {@code nullable}, {@code format: int32}, {@code minimum}/{@code maximum},
 * {@code minLength}/{@code maxLength}, {@code minItems}/{@code maxItems}, {@code pattern} and
 * {@code anyOf} are checked. CEL rules ({@code x-kubernetes-validations}) are not evaluated.
 */
final class CrdSchemaValidator {
    private CrdSchemaValidator() {
    }

    /** Every violation as {@code path: problem}, in document order; empty when the value conforms. */
    static List<String> validate(Object value, Map<String, Object> schema, String path) {
        List<String> errors = new ArrayList<>();
        check(value, schema, path, errors);
        return errors;
    }

    @SuppressWarnings("unchecked")
    private static void check(Object value, Map<String, Object> schema, String path, List<String> errors) {
        if (value == null) {
            if (!Boolean.TRUE.equals(schema.get("nullable"))) {
                errors.add(path + ": must not be null");
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.get("x-kubernetes-int-or-string"))) {
            if (!(isInteger(value) || value instanceof String)) {
                errors.add(path + ": expected integer or string, got " + describe(value));
                return;
            }
            if (value instanceof String s) {
                checkString(s, schema, path, errors);
            }
            return;
        }
        if (schema.get("anyOf") instanceof List<?> anyOf && !anyOf.isEmpty()) {
            boolean matched = anyOf.stream().anyMatch(
                    branch -> validate(value, (Map<String, Object>) branch, path).isEmpty());
            if (!matched) {
                errors.add(path + ": matches none of the allowed shapes (anyOf), got " + describe(value));
                return;
            }
        }
        String type = (String) schema.get("type");
        if (type != null && !hasType(value, type)) {
            errors.add(path + ": expected " + type + ", got " + describe(value));
            return;
        }
        if (schema.get("enum") instanceof List<?> allowed && allowed.stream().noneMatch(a -> sameValue(a, value))) {
            errors.add(path + ": " + describe(value) + " is not one of " + allowed);
        }
        if (value instanceof Map<?, ?> map) {
            checkObject((Map<String, Object>) map, schema, path, errors);
        } else if (value instanceof List<?> list) {
            checkArray(list, schema, path, errors);
        } else if (value instanceof String s) {
            checkString(s, schema, path, errors);
        } else if (value instanceof Number n) {
            checkNumber(n, schema, path, errors);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkObject(Map<String, Object> map, Map<String, Object> schema, String path,
            List<String> errors) {
        Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p
                ? (Map<String, Object>) p : Map.of();
        if (schema.get("required") instanceof List<?> required) {
            for (Object name : required) {
                if (!map.containsKey(name)) {
                    errors.add(join(path, (String) name) + ": required field is missing");
                }
            }
        }
        Object additional = schema.get("additionalProperties");
        boolean open = Boolean.TRUE.equals(schema.get("x-kubernetes-preserve-unknown-fields"))
                || Boolean.TRUE.equals(additional);
        for (Map.Entry<String, Object> e : map.entrySet()) {
            String child = join(path, e.getKey());
            if (properties.get(e.getKey()) instanceof Map<?, ?> propertySchema) {
                check(e.getValue(), (Map<String, Object>) propertySchema, child, errors);
            } else if (additional instanceof Map<?, ?> valueSchema) {
                check(e.getValue(), (Map<String, Object>) valueSchema, child, errors);
            } else if (!open) {
                errors.add(child + ": unknown field");
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkArray(List<?> list, Map<String, Object> schema, String path, List<String> errors) {
        bound(list.size(), schema.get("minItems"), schema.get("maxItems"), path, "items", errors);
        if (schema.get("items") instanceof Map<?, ?> items) {
            for (int i = 0; i < list.size(); i++) {
                check(list.get(i), (Map<String, Object>) items, path + "[" + i + "]", errors);
            }
        }
    }

    private static void checkString(String s, Map<String, Object> schema, String path, List<String> errors) {
        bound(s.length(), schema.get("minLength"), schema.get("maxLength"), path, "characters", errors);
        if (schema.get("pattern") instanceof String pattern && !Pattern.compile(pattern).matcher(s).find()) {
            errors.add(path + ": \"" + s + "\" does not match " + pattern);
        }
    }

    private static void checkNumber(Number n, Map<String, Object> schema, String path, List<String> errors) {
        BigDecimal v = new BigDecimal(n.toString());
        if (schema.get("minimum") instanceof Number min && v.compareTo(new BigDecimal(min.toString())) < 0) {
            errors.add(path + ": " + n + " is less than the minimum " + min);
        }
        if (schema.get("maximum") instanceof Number max && v.compareTo(new BigDecimal(max.toString())) > 0) {
            errors.add(path + ": " + n + " is greater than the maximum " + max);
        }
        if ("int32".equals(schema.get("format"))
                && (v.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0
                        || v.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0)) {
            errors.add(path + ": " + n + " does not fit int32");
        }
    }

    private static void bound(int size, Object min, Object max, String path, String unit, List<String> errors) {
        if (min instanceof Number m && size < m.intValue()) {
            errors.add(path + ": has " + size + " " + unit + ", at least " + m + " required");
        }
        if (max instanceof Number m && size > m.intValue()) {
            errors.add(path + ": has " + size + " " + unit + ", at most " + m + " allowed");
        }
    }

    private static boolean hasType(Object value, String type) {
        return switch (type) {
            case "object" -> value instanceof Map;
            case "array" -> value instanceof List;
            case "string" -> value instanceof String;
            case "integer" -> isInteger(value);
            case "number" -> value instanceof Number;
            case "boolean" -> value instanceof Boolean;
            default -> false;
        };
    }

    private static boolean isInteger(Object value) {
        return value instanceof Integer || value instanceof Long || value instanceof BigInteger
                || value instanceof Short || value instanceof Byte;
    }

    private static boolean sameValue(Object allowed, Object value) {
        return allowed.equals(value) || allowed instanceof Number a && value instanceof Number v
                && new BigDecimal(a.toString()).compareTo(new BigDecimal(v.toString())) == 0;
    }

    /** The YAML/JSON type of a value and, for scalars, the value itself. */
    static String describe(Object value) {
        if (value instanceof String s) {
            return "string \"" + s + "\"";
        }
        if (isInteger(value)) {
            return "integer " + value;
        }
        if (value instanceof Number) {
            return "number " + value;
        }
        if (value instanceof Boolean) {
            return "boolean " + value;
        }
        if (value instanceof Map) {
            return "object";
        }
        return value instanceof List ? "array" : value.getClass().getSimpleName();
    }

    static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }
}
