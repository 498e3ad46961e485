package io.tradetx.scaling;

import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Fills {@code ${VAR}} placeholders the way the deploy scripts fill {@code k8s/*.yaml}. */
public final class Placeholders {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    private Placeholders() {
    }

    /** Replaces every {@code ${VAR}}; throws listing all undefined names (sorted) if any is missing. */
    public static String fill(String text, Map<String, String> values) {
        TreeSet<String> missing = new TreeSet<>();
        Matcher m = VAR.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("undefined placeholders: " + String.join(", ", missing));
        }
        return out.toString();
    }
}
