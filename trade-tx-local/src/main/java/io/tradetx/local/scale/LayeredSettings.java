package io.tradetx.local.scale;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The deploy settings as {@code ./trade-tx local} sees them, each with where its value came from: {@code
 * .env.example}, then {@code .env} (as the deploy scripts read them), then the shell's values of the same
 * names, then command-line options; a later layer wins.
 */
public final class LayeredSettings {
    public static final String EXAMPLE = ".env.example";
    public static final String ENV_FILE = ".env";
    public static final String SHELL = "environment";
    public static final String OPTION = "option";
    private static final String REDACTED = "<redacted>";
    /**
     * The consumer settings a local run takes from the layers; the connection (KAFKA_AUTH, the bootstrap
     * servers, TOPIC_REPLICATION_FACTOR) is the local broker's, not the deploy's.
     */
    public static final List<String> CONSUMER_SETTINGS = List.of("KAFKA_TOPIC", "DLQ_TOPIC", "CONSUMER_GROUP",
            "TOPIC_PARTITIONS", "BATCH_SIZE", "BATCH_TIMEOUT_SECONDS", "BATCH_PROCESSING_TIME",
            "MESSAGE_PROCESSING_TIME", "SHUTDOWN_GRACE_PERIOD_SECONDS", "GROUP_PROTOCOL");

    /** One setting's value and the layer it came from. */
    public record Setting(String name, String value, String source) {
        /** {@code NAME=value (source)}, the value of a secret redacted. */
        public String describe() {
            return name + "=" + (isSecret(name) && !value.isEmpty() ? REDACTED : value) + " (" + source + ")";
        }
    }

    private final Map<String, Setting> settings;

    private LayeredSettings(Map<String, Setting> settings) {
        this.settings = settings;
    }

    /**
     * The files of the repository at {@code root}, then {@code shell}'s values of the names the files hold
     * (and of TENANTS and TENANT_*, which .env may leave out).
     */
    public static LayeredSettings load(Path root, Map<String, String> shell) throws IOException {
        Map<String, Setting> out = new LinkedHashMap<>();
        layer(out, root.resolve(EXAMPLE), EXAMPLE);
        layer(out, root.resolve(ENV_FILE), ENV_FILE);
        shell.forEach((name, value) -> {
            if (out.containsKey(name) || name.equals("TENANTS") || name.startsWith("TENANT_")) {
                out.put(name, new Setting(name, value, SHELL));
            }
        });
        return new LayeredSettings(out);
    }

    /** {@code values} as one layer named {@code source}, for callers that hold the settings as a map already. */
    public static LayeredSettings of(Map<String, String> values, String source) {
        Map<String, Setting> out = new LinkedHashMap<>();
        values.forEach((name, value) -> out.put(name, new Setting(name, value, source)));
        return new LayeredSettings(out);
    }

    private static void layer(Map<String, Setting> out, Path file, String source) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        DeploySettings.read(file, values);
        values.forEach((name, value) -> out.put(name, new Setting(name, value, source)));
    }

    /** These settings with {@code options} (NAME -> value from the command line) on top. */
    public LayeredSettings withOptions(Map<String, String> options) {
        Map<String, Setting> out = new LinkedHashMap<>(settings);
        options.forEach((name, value) -> out.put(name, new Setting(name, value, OPTION)));
        return new LayeredSettings(out);
    }

    /** Every setting's value. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        settings.forEach((name, s) -> out.put(name, s.value()));
        return out;
    }

    /** The setting, or null if no layer has it. */
    public Setting get(String name) {
        return settings.get(name);
    }

    /** One line per named setting that some layer has, in the given order: {@code BATCH_SIZE=100 (.env)}. */
    public List<String> describe(Collection<String> names) {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            Setting s = settings.get(name);
            if (s != null) {
                out.add(s.describe());
            }
        }
        return out;
    }

    /**
     * The environment of a local consumer: {@code shell} (for the settings no file holds, e.g. SINK or
     * KAFKA_CLIENT_*) with the {@link #CONSUMER_SETTINGS} of these layers on top.
     */
    public Map<String, String> consumerEnvironment(Map<String, String> shell) {
        Map<String, String> env = new LinkedHashMap<>(shell);
        for (String name : CONSUMER_SETTINGS) {
            Setting s = settings.get(name);
            if (s != null) {
                env.put(name, s.value());
            }
        }
        return env;
    }

    /** Passwords, secrets, tokens and keys are never printed. */
    static boolean isSecret(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return n.contains("PASSWORD") || n.contains("SECRET") || n.contains("TOKEN") || n.endsWith("_KEY")
                || n.contains("CREDENTIAL");
    }
}
