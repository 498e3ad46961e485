package io.tradetx.local.scale;

import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Reads the ScaledObject the AWS deploy applies, with its ${VAR} placeholders filled from the deploy settings. */
public final class ScaledObjectFile {
    public static final String DEFAULT_PATH = "k8s/scaledobject.yaml";

    private ScaledObjectFile() {
    }

    /** Loads and strictly parses the file; {@code overrides} win over .env.example and .env. */
    public static ScaledObjectSpec load(Path file, Path repoRoot, Map<String, String> overrides) throws IOException {
        Map<String, String> values = new HashMap<>(DeploySettings.load(repoRoot));
        values.putAll(overrides);
        return ScaledObjectParser.parse(Placeholders.fill(Files.readString(file), values));
    }
}
