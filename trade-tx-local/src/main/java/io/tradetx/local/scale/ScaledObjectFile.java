package io.tradetx.local.scale;

import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads the ScaledObject the AWS deploy applies, with its ${VAR} placeholders filled from the deploy settings. */
public final class ScaledObjectFile {
    public static final String DEFAULT_PATH = "k8s/scaledobject.yaml";

    private ScaledObjectFile() {
    }

    /** Loads and strictly parses the file; {@code overrides} win over .env.example and .env. */
    public static ScaledObjectSpec load(Path file, Path repoRoot, Map<String, String> overrides) throws IOException {
        Map<String, String> values = new HashMap<>(DeploySettings.load(repoRoot));
        values.putAll(overrides);
        return load(file, values);
    }

    /** Loads and strictly parses the file, its placeholders filled from {@code values}. */
    public static ScaledObjectSpec load(Path file, Map<String, String> values) throws IOException {
        return ScaledObjectParser.parse(Placeholders.fill(Files.readString(file), values));
    }

    /** The names of the file's ${VAR} placeholders, in order of appearance, each once. */
    public static List<String> placeholders(Path file) throws IOException {
        return PLACEHOLDER.matcher(Files.readString(file)).results().map(m -> m.group(1)).distinct().toList();
    }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
}
