package io.tradetx.local.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deploy settings as the deploy scripts see them: {@code .env.example} overlaid by {@code .env}
 * (KEY=VALUE lines, comments and blank lines ignored, optional quotes and {@code export}), in the
 * grammar of scripts/lib.sh's parse_env_line (EnvGrammarTest keeps the two equal).
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

    public static void read(Path file, Map<String, String> into) throws IOException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = line.substring(0, eq).strip();
            into.put(key, value(line.substring(eq + 1).strip()));
        }
    }

    /**
     * A value as scripts/lib.sh's parse_env_line reads it: quoted ("..." or '...', up to the same
     * quote, then nothing or a comment) is taken literally without the quotes; otherwise " #" starts
     * a comment.
     */
    static String value(String raw) {
        if (!raw.isEmpty() && (raw.charAt(0) == '"' || raw.charAt(0) == '\'')) {
            int close = raw.indexOf(raw.charAt(0), 1);
            if (close > 0) {
                String after = raw.substring(close + 1).strip();
                if (after.isEmpty() || after.startsWith("#")) {
                    return raw.substring(1, close);
                }
            }
        }
        int comment = raw.indexOf(" #");
        return comment >= 0 ? raw.substring(0, comment).strip() : raw;
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
