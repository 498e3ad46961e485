package io.tradetx.local.scale;

import io.tradetx.common.config.InvalidSettingsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The deploy settings as the deploy scripts see them: {@code .env.example} overlaid by {@code .env},
 * in the grammar of {@link #parseLine} (the one documented in .env.example's header, which
 * scripts/lib.sh's parse_env_line reads alike; EnvGrammarTest runs both on the same lines).
 */
public final class DeploySettings {
    private DeploySettings() {
    }

    public static Map<String, String> load(Path repoRoot) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        read(repoRoot.resolve(".env.example"), values);
        read(repoRoot.resolve(".env"), values);
        return values;
    }

    /**
     * Reads one settings file into {@code into} (later files overwrite earlier values).
     *
     * @throws InvalidSettingsException for the first line that is not blank, a comment or NAME=VALUE,
     *         worded as scripts/lib.sh's load_env words it
     */
    public static void read(Path file, Map<String, String> into) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        // Lines end at \n only, as bash's `read` splits them; a \r before it is trailing whitespace.
        String[] lines = Files.readString(file).split("\n", -1);
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int n = 1; n <= count; n++) {
            String line = lines[n - 1];
            Line parsed;
            try {
                parsed = parseLine(line);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingsException(List.of(file + ":" + n + ": not a NAME=VALUE line: " + line));
            }
            if (parsed != null) {
                into.put(parsed.name(), parsed.value());
            }
        }
    }

    /** One NAME=VALUE line of a settings file. */
    public record Line(String name, String value) {
    }

    private static final Pattern ASSIGNMENT =
            Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)[ \t\n\u000B\f\r]*=(.*)", Pattern.DOTALL);

    /**
     * One line in the grammar of .env.example (its header documents it; scripts/lib.sh's parse_env_line
     * is the same code in bash, and EnvGrammarTest runs both on the same lines): null for a blank or
     * comment line; otherwise NAME=VALUE, optionally after {@code export }, with whitespace around the
     * line, the name and the value dropped; a value in matching "double" or 'single' quotes followed by
     * nothing or a # comment is taken literally without its quotes; otherwise " #" starts a comment.
     * Whitespace is ASCII's: space, tab, CR, LF, vertical tab, form feed.
     *
     * @throws IllegalArgumentException when the line is none of these
     */
    public static Line parseLine(String raw) {
        String line = stripTrailing(stripLeading(raw));
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        if (line.startsWith("export ")) {
            line = stripLeading(line.substring("export ".length()));
        }
        Matcher m = ASSIGNMENT.matcher(line);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a NAME=VALUE line: " + raw);
        }
        return new Line(m.group(1), value(stripLeading(m.group(2))));
    }

    /** A value after the '=' and leading whitespace: quoted, or up to a " #" comment. */
    static String value(String raw) {
        if (!raw.isEmpty() && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            int close = raw.indexOf(raw.charAt(0), 1);
            if (close > 0) {
                String after = stripLeading(raw.substring(close + 1));
                if (after.isEmpty() || after.startsWith("#")) {
                    return raw.substring(1, close);
                }
            }
        }
        int comment = raw.indexOf(" #");
        return stripTrailing(comment >= 0 ? raw.substring(0, comment) : raw);
    }

    /** bash's [[:space:]] for ASCII text. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static String stripLeading(String s) {
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) {
            i++;
        }
        return s.substring(i);
    }

    private static String stripTrailing(String s) {
        int i = s.length();
        while (i > 0 && isSpace(s.charAt(i - 1))) {
            i--;
        }
        return s.substring(0, i);
    }

    /** The repository root: -Dtradetx.home from the launcher, else the nearest parent holding k8s/. */
    public static Path repoRoot() {
        String home = System.getProperty("tradetx.home");
        if (home != null) {
            return Path.of(home);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isDirectory(dir.resolve("k8s")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        return Path.of("").toAbsolutePath();
    }
}
