package io.tradetx.local.scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deploy settings as the deploy scripts see them: {@code .env.example} overlaid by {@code .env}
 * (KEY=VALUE lines, comments and blank lines ignored, optional quotes and {@code export}).
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
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            into.put(key, value);
        }
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
