package io.tradetx.local;

import io.tradetx.local.scale.DeploySettings;
import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The project's own k8s/scaledobject.yaml with its .env.example values, for tests. */
public final class TestSpecs {
    /** The repository root: surefire runs each module's tests in the module's directory, one below it. */
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The .env.example values the ScaledObject's placeholders take. */
    public static final Map<String, String> ENV_EXAMPLE = envExample();

    private TestSpecs() {
    }

    private static Map<String, String> envExample() {
        try {
            Map<String, String> values = new java.util.HashMap<>();
            DeploySettings.read(ROOT.resolve(".env.example"), values);
            return Map.copyOf(values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String filled() {
        try {
            return Placeholders.fill(Files.readString(ROOT.resolve("k8s/scaledobject.yaml")), ENV_EXAMPLE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ScaledObjectSpec k8s() {
        return ScaledObjectParser.parse(filled());
    }

    /** Writes the filled ScaledObject to {@code file} and returns it. */
    public static Path writeK8s(Path file) throws IOException {
        Files.writeString(file, filled());
        return file;
    }
}
