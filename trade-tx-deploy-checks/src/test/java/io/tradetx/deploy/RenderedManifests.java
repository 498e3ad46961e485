package io.tradetx.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The manifests of {@code k8s/} rendered by {@code scripts/lib.sh} itself (through bash, exactly as
 * the deploy scripts render them), from {@code .env.example} plus what deploy-infra.sh would write;
 * for a tenant as {@code deploy-*.sh --tenant NAME} renders them, {@code k8s/tenant/} included.
 */
public final class RenderedManifests {
    public static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String MARKER = "### trade-tx manifest: ";

    /**
     * The values deploy-infra.sh writes into .env after an apply (no real names: .invalid hosts), and the
     * KEDA reader role ARN deploy-consumer.sh looks up.
     */
    public static final Map<String, String> DEPLOYED = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "b-1.example.invalid:9098,b-2.example.invalid:9098",
            "ECR_REPOSITORY_URL_PRODUCER", "registry.example.invalid/trade-tx-producer",
            "ECR_REPOSITORY_URL_CONSUMER", "registry.example.invalid/trade-tx-consumer",
            "IMAGE_TAG", "0123456789ab",
            "MSK_CLUSTER_NAME", "trade-tx-msk",
            "CLUSTER_DNS_IP", "172.20.0.10",
            "KEDA_READER_ROLE_ARN", "arn:aws:iam::ACCOUNT_ID:role/trade-tx-keda-reader");

    /** One object of one rendered file. */
    public record Manifest(String file, Map<String, Object> object) {
        public String apiVersion() {
            return (String) object.get("apiVersion");
        }

        public String kind() {
            return (String) object.get("kind");
        }

        @SuppressWarnings("unchecked")
        public String name() {
            return object.get("metadata") instanceof Map<?, ?> m ? (String) ((Map<String, Object>) m).get("name") : null;
        }

        @Override
        public String toString() {
            return kind() + " " + name() + " (k8s/" + file + ")";
        }
    }

    private RenderedManifests() {
    }

    /** Every manifest file of k8s/ (kustomization.yaml is kustomize's index, not a manifest). */
    public static List<String> files() {
        return manifestsIn("");
    }

    /** Every manifest file of k8s/tenant/, as {@code tenant/<file>}: what only a tenant's namespace gets. */
    public static List<String> tenantFiles() {
        return manifestsIn("tenant/");
    }

    /** Every manifest file of k8s/cluster/, as {@code cluster/<file>}: applied once per cluster by deploy-infra.sh. */
    public static List<String> clusterFiles() {
        return manifestsIn("cluster/");
    }

    /** The objects of k8s/cluster/, rendered with DEPLOYED. */
    public static List<Manifest> cluster() {
        return parse(render(DEPLOYED, clusterFiles()));
    }

    private static List<String> manifestsIn(String subdirectory) {
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s").resolve(subdirectory.isEmpty() ? "." : subdirectory))) {
            return files.map(p -> subdirectory + p.getFileName())
                    .filter(f -> f.endsWith(".yaml") && !f.endsWith("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object of every manifest, rendered with DEPLOYED. */
    public static List<Manifest> all() {
        return parse(render(DEPLOYED, files()));
    }

    /** The objects of the given rendered files. */
    @SuppressWarnings("unchecked")
    public static List<Manifest> parse(Map<String, String> rendered) {
        List<Manifest> out = new ArrayList<>();
        rendered.forEach((file, text) -> {
            for (Object doc : new Yaml().loadAll(text)) {
                if (doc != null) {
                    out.add(new Manifest(file, (Map<String, Object>) doc));
                }
            }
        });
        return out;
    }

    /**
     * Every object of every manifest of k8s/ and k8s/tenant/ as {@code deploy-*.sh --tenant tenant}
     * renders them, with DEPLOYED plus {@code settings} (which declare the tenants).
     */
    public static List<Manifest> allForTenant(Map<String, String> settings, String tenant) {
        Map<String, String> values = new LinkedHashMap<>(DEPLOYED);
        values.putAll(settings);
        List<String> files = new ArrayList<>(files());
        files.addAll(tenantFiles());
        return parse(renderForTenant(values, tenant, files));
    }

    /**
     * Renders the files with scripts/lib.sh's render_manifest, the settings being .env.example
     * overlaid by {@code settings} (written as the .env file); file name -> rendered text.
     */
    public static Map<String, String> render(Map<String, String> settings, List<String> files) {
        return renderForTenant(settings, null, files);
    }

    /**
     * Like {@link #render}, after scripts/lib.sh's select_tenant (a null tenant: none); the tenant's
     * KEDA reader role ARN is the one deploy-consumer.sh would look up.
     */
    public static Map<String, String> renderForTenant(Map<String, String> settings, String tenant, List<String> files) {
        try {
            Path env = Files.createTempFile("trade-tx-test", ".env");
            try {
                StringBuilder lines = new StringBuilder();
                settings.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
                Files.writeString(env, lines);
                String select = tenant == null ? ""
                        : " select_tenant " + tenant + ";"
                        + " export KEDA_READER_ROLE_ARN=\"arn:aws:iam::ACCOUNT_ID:role/$KEDA_READER_ROLE_NAME\";";
                String script = "set -euo pipefail; source \"$0/scripts/lib.sh\"; load_env;" + select
                        + " for f in \"$@\"; do printf '\\n" + MARKER + "%s\\n' \"$f\"; render_manifest \"$f\"; done";
                List<String> command = new ArrayList<>(List.of("bash", "-c", script, ROOT.toString()));
                command.addAll(files);
                return split(bash(command, env));
            } finally {
                Files.deleteIfExists(env);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs bash with ENV_FILE and a clean environment (no setting leaks in from the test's). */
    static String bash(List<String> command, Path envFile) throws IOException {
        Path stderr = Files.createTempFile("trade-tx-test", ".stderr");
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
            Map<String, String> env = pb.environment();
            Map<String, String> keep = new LinkedHashMap<>();
            for (String name : List.of("PATH", "HOME", "LANG", "TMPDIR")) {
                if (env.get(name) != null) {
                    keep.put(name, env.get(name));
                }
            }
            env.clear();
            env.putAll(keep);
            env.put("ENV_FILE", envFile.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("bash did not finish: " + command);
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException("bash exited " + p.exitValue() + ": " + Files.readString(stderr).strip());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /** Splits bash's output ("\n" MARKER file "\n" text, per file) back into the exact texts. */
    private static Map<String, String> split(String output) {
        Map<String, String> rendered = new LinkedHashMap<>();
        String[] chunks = output.split("\n" + Pattern.quote(MARKER), -1);
        for (int i = 1; i < chunks.length; i++) {
            int eol = chunks[i].indexOf('\n');
            rendered.put(chunks[i].substring(0, eol), chunks[i].substring(eol + 1));
        }
        return rendered;
    }
}
