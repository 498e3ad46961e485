package io.tradetx.local;

import io.tradetx.scaling.Placeholders;
import io.tradetx.scaling.spec.ScaledObjectParser;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The project's ScaledObject (a copy of k8s/scaledobject.yaml) with the .env.example values, for tests. */
public final class TestSpecs {
    /** The .env.example values the ScaledObject's placeholders take. */
    public static final Map<String, String> ENV_EXAMPLE = Map.of("POLLING_INTERVAL", "15", "COOLDOWN_PERIOD", "300",
            "MAX_REPLICAS", "24", "KAFKA_BOOTSTRAP_SERVERS", "", "CONSUMER_GROUP", "trade-tx-consumer",
            "KAFKA_TOPIC", "trade-tx", "LAG_THRESHOLD", "5000", "ACTIVATION_LAG_THRESHOLD", "0",
            "AWS_REGION", "us-east-1");

    private TestSpecs() {
    }

    public static String resource(String name) {
        try (InputStream in = TestSpecs.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ScaledObjectSpec k8s() {
        return ScaledObjectParser.parse(Placeholders.fill(resource("k8s-scaledobject.yaml"), ENV_EXAMPLE));
    }

    /** Writes the filled ScaledObject to {@code file} and returns it. */
    public static Path writeK8s(Path file) throws IOException {
        Files.writeString(file, Placeholders.fill(resource("k8s-scaledobject.yaml"), ENV_EXAMPLE));
        return file;
    }
}
