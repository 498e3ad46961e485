package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.local.scale.DeploySettings;
import io.tradetx.local.tenant.TenantDeploySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The settings file grammar is one: scripts/lib.sh's load_env (what the deploy scripts read) and
 * the Java DeploySettings (what the local runner reads) give the same values for the same file, and
 * scripts/lib.sh's select_tenant and TenantDeploySettings give every tenant the same settings.
 */
class EnvGrammarTest {
    private static final List<String> NAMES = List.of("BATCH_SIZE", "LAG_THRESHOLD", "CONSUMER_GROUP",
            "KAFKA_TOPIC", "AWS_REGION", "PROJECT_NAME", "IMAGE_TAG", "COOLDOWN_PERIOD", "POLLING_INTERVAL");

    @Test
    void bashAndJavaReadTheSameValues(@TempDir Path dir) throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, """
                # a comment line
                   # an indented comment line

                export BATCH_SIZE=250
                LAG_THRESHOLD=7000 # per replica
                CONSUMER_GROUP="group # with a hash"
                KAFKA_TOPIC='orders'
                AWS_REGION = eu-west-1
                PROJECT_NAME=trade-tx  \s
                IMAGE_TAG=
                COOLDOWN_PERIOD="120"  # quoted, then a comment
                export   POLLING_INTERVAL=5
                """);
        Map<String, String> java = new LinkedHashMap<>();
        DeploySettings.read(RenderedManifests.ROOT.resolve(".env.example"), java);
        DeploySettings.read(env, java);

        String script = "set -euo pipefail; source \"$0/scripts/lib.sh\"; load_env;"
                + " for n in " + String.join(" ", NAMES) + "; do printf '%s=[%s]\\n' \"$n\" \"${!n}\"; done";
        String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString()), env);

        StringBuilder expected = new StringBuilder();
        for (String n : NAMES) {
            expected.append(n).append("=[").append(java.get(n)).append("]\n");
        }
        assertThat(bash).isEqualTo(expected.toString());
        assertThat(bash).contains("BATCH_SIZE=[250]", "LAG_THRESHOLD=[7000]", "CONSUMER_GROUP=[group # with a hash]",
                "KAFKA_TOPIC=[orders]", "AWS_REGION=[eu-west-1]", "PROJECT_NAME=[trade-tx]", "IMAGE_TAG=[]",
                "COOLDOWN_PERIOD=[120]", "POLLING_INTERVAL=[5]");
    }

    /** Lines at the edges of the grammar; each is read alone by both readers. */
    private static final List<String> EDGE_LINES = List.of("export X=1", " # comment", "\t# tab comment", "  ", "",
            "X=1 # c", "X=1#c", "X='a b' # c", "X=\"a\" b", "X=\"unterminated", "X='it''s'", "X=\"#\"", "=1", "1X=2",
            "X-Y=1", "X Y=1", "export", "export=1", "exportX=1", "export\tX=1", "export  X=1", "export =1",
            "X\t=\t1\t", "X=1\r", "\tX=1", "X==1", "X=a=b", "X= ' a ' ", "X=\t#c", "X= #c", "#X=1", "X=1 \t# c",
            "X=\"a\"#c", "X=\"a\"  #c", "X=\"\"", "X=''", "X='\"'", "x_1=lower", "_=underscore", "X=\u000b1",
            "X=1\f", "X=\"a\r\"", "X=$(whoami)", "X=${HOME}", "X=a\\ b", "X='a' 'b'", "X = \"q\" # c\r");
    private static final List<String> TOKENS = List.of("export", "export ", " ", "\t", "\r", "\u000b", "\f", "#",
            " #", "=", "\"", "'", "A", "b_1", "9", "x y", "-", "\\", "$", "_");

    /**
     * scripts/lib.sh's parse_env_line and DeploySettings.parseLine accept, skip and refuse exactly the
     * same lines, with the same name and value: the edge cases above and random lines of the grammar's
     * tokens (seeded, so a failure repeats).
     */
    @Test
    void bashAndJavaAcceptSkipAndRefuseTheSameLines(@TempDir Path dir) throws IOException {
        List<String> lines = new java.util.ArrayList<>(EDGE_LINES);
        java.util.Random random = new java.util.Random(13);
        for (int i = 0; i < 600; i++) {
            StringBuilder line = new StringBuilder();
            if (i % 2 == 0) { // an assignment with random surroundings and a random value
                line.append(List.of("", " ", "\t", "export ", "export  ", "\r").get(random.nextInt(6)))
                        .append(List.of("A", "b_1", "_", "X9").get(random.nextInt(4)))
                        .append(List.of("", " ", "\t").get(random.nextInt(3))).append('=');
            }
            for (int t = random.nextInt(7); t >= 0; t--) {
                line.append(TOKENS.get(random.nextInt(TOKENS.size())));
            }
            lines.add(line.toString());
        }
        Path file = dir.resolve("lines");
        Files.writeString(file, String.join("\n", lines) + "\n");
        String script = "source \"$0/scripts/lib.sh\"; while IFS= read -r line || [[ -n \"$line\" ]]; do rc=0;"
                + " parse_env_line \"$line\" || rc=$?; case $rc in"
                + " 0) printf 'ok[%s][%s]\\x1e' \"$ENV_LINE_KEY\" \"$ENV_LINE_VALUE\" ;;"
                + " 1) printf 'skip\\x1e' ;; *) printf 'bad\\x1e' ;; esac; done < \"$1\"";
        String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString(),
                file.toString()), file);
        List<String> bashResults = List.of(bash.split("\u001e", -1)).subList(0, lines.size());
        assertThat(bash.split("\u001e", -1)).hasSize(lines.size() + 1);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < lines.size(); i++) {
            String java;
            try {
                DeploySettings.Line l = DeploySettings.parseLine(lines.get(i));
                java = l == null ? "skip" : "ok[" + l.name() + "][" + l.value() + "]";
            } catch (IllegalArgumentException e) {
                java = "bad";
            }
            accepted += java.startsWith("ok") ? 1 : 0;
            refused += java.equals("bad") ? 1 : 0;
            assertThat(java).as("line %d: [%s]", i, lines.get(i).replace("\r", "\\r").replace("\t", "\\t"))
                    .isEqualTo(bashResults.get(i));
        }
        assertThat(accepted).as("lines accepted").isGreaterThan(50);
        assertThat(refused).as("lines refused").isGreaterThan(50);
    }

    /** A file with CRLF line ends reads the same as with LF ends, in both readers. */
    @Test
    void crlfFilesReadLikeLfFiles(@TempDir Path dir) throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, "export BATCH_SIZE=250\r\nLAG_THRESHOLD=7000 # per replica\r\n"
                + "CONSUMER_GROUP=\"g # 1\"\r\n# comment\r\n\r\nKAFKA_TOPIC='orders'\r\n");
        Map<String, String> java = new LinkedHashMap<>();
        DeploySettings.read(env, java);
        assertThat(java).containsExactly(Map.entry("BATCH_SIZE", "250"), Map.entry("LAG_THRESHOLD", "7000"),
                Map.entry("CONSUMER_GROUP", "g # 1"), Map.entry("KAFKA_TOPIC", "orders"));
        String script = "set -euo pipefail; source \"$0/scripts/lib.sh\"; load_env;"
                + " for n in BATCH_SIZE LAG_THRESHOLD CONSUMER_GROUP KAFKA_TOPIC; do printf '%s=[%s]\\n' \"$n\" \"${!n}\"; done";
        String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString()), env);
        assertThat(bash).isEqualTo("BATCH_SIZE=[250]\nLAG_THRESHOLD=[7000]\nCONSUMER_GROUP=[g # 1]\nKAFKA_TOPIC=[orders]\n");
    }

    /** A line that is not NAME=VALUE stops both readers, with the same message naming the file and line. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BATCH_SIZE 100", "export", "1X=2", "LAG-THRESHOLD=1", "=1"})
    void aBadLineStopsBothReadersWithTheSameMessage(String bad, @TempDir Path dir) throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, "BATCH_SIZE=100\n" + bad + "\nLAG_THRESHOLD=1\n");
        String javaError = "none";
        try {
            DeploySettings.read(env, new LinkedHashMap<>());
        } catch (InvalidSettingsException e) {
            javaError = e.getMessage();
        }
        String script = "source \"$0/scripts/lib.sh\"; (load_env) 2>&1 | sed -n 's/^ERROR: //p'";
        String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString()), env)
                .strip();
        assertThat(javaError).isEqualTo(env + ":2: not a NAME=VALUE line: " + bad).isEqualTo(bash);
    }

    @Test
    void bashAndJavaGiveEveryTenantTheSameSettings(@TempDir Path dir) throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, """
                TENANTS = acme, globex-eu  # two institutions
                TENANT_ACME_LAG_THRESHOLD=2000
                export TENANT_ACME_MAX_REPLICAS=12
                TENANT_ACME_DLQ_TOPIC="acme.dead-letters" # quoted, then a comment
                TENANT_GLOBEX_EU_KAFKA_TOPIC='globex-trades'
                TENANT_GLOBEX_EU_K8S_NAMESPACE=globex
                TENANT_GLOBEX_EU_CONSUMER_CPU_REQUEST=500m
                KAFKA_TOPIC=orders
                """);
        Map<String, String> settings = new LinkedHashMap<>();
        DeploySettings.read(RenderedManifests.ROOT.resolve(".env.example"), settings);
        DeploySettings.read(env, settings);
        assertThat(TenantDeploySettings.tenants(settings)).containsExactly("acme", "globex-eu");

        List<String> names = new java.util.ArrayList<>(TenantDeploySettings.TENANT_SETTINGS);
        names.add("TENANT");
        for (String tenant : TenantDeploySettings.tenants(settings)) {
            String script = "set -euo pipefail; source \"$0/scripts/lib.sh\"; load_env; select_tenant " + tenant + ";"
                    + " for n in " + String.join(" ", names) + "; do printf '%s=[%s]\\n' \"$n\" \"${!n}\"; done";
            String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString()), env);
            Map<String, String> java = TenantDeploySettings.forTenant(settings, tenant);
            StringBuilder expected = new StringBuilder();
            for (String n : names) {
                expected.append(n).append("=[").append(java.get(n)).append("]\n");
            }
            assertThat(bash).as(tenant).isEqualTo(expected.toString());
        }
        Map<String, String> acme = TenantDeploySettings.forTenant(settings, "acme");
        assertThat(acme).containsEntry("K8S_NAMESPACE", "trade-tx-acme").containsEntry("KAFKA_TOPIC", "orders-acme")
                .containsEntry("DLQ_TOPIC", "acme.dead-letters").containsEntry("CONSUMER_GROUP", "trade-tx-consumer-acme")
                .containsEntry("LAG_THRESHOLD", "2000").containsEntry("MAX_REPLICAS", "12");
        Map<String, String> globex = TenantDeploySettings.forTenant(settings, "globex-eu");
        assertThat(globex).containsEntry("K8S_NAMESPACE", "globex").containsEntry("KAFKA_TOPIC", "globex-trades")
                .containsEntry("DLQ_TOPIC", "globex-trades.dlq").containsEntry("CONSUMER_CPU_REQUEST", "500m")
                .containsEntry("LAG_THRESHOLD", settings.get("LAG_THRESHOLD"));
    }

    @Test
    void bashAndJavaKnowTheSamePerTenantSettings() throws IOException {
        String script = "source \"$0/scripts/lib.sh\"; printf '%s\\n' \"${TENANT_SETTINGS[@]}\"";
        Path none = Files.createTempFile("trade-tx-test", ".env");
        try {
            String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString()), none);
            assertThat(bash.lines().toList()).isEqualTo(TenantDeploySettings.TENANT_SETTINGS);
        } finally {
            Files.deleteIfExists(none);
        }
    }

    @Test
    void withoutTenantsTheOneDeploymentKeepsTheGlobalNames() throws IOException {
        Map<String, String> settings = new LinkedHashMap<>();
        DeploySettings.read(RenderedManifests.ROOT.resolve(".env.example"), settings);
        assertThat(TenantDeploySettings.tenants(settings)).isEmpty();
        assertThat(TenantDeploySettings.forTenant(settings, null)).containsEntry("TENANT", "default")
                .containsEntry("K8S_NAMESPACE", "default").containsEntry("KAFKA_TOPIC", "trade-tx")
                .containsEntry("DLQ_TOPIC", "trade-tx.dlq").containsEntry("CONSUMER_GROUP", "trade-tx-consumer");
        assertThatThrownBy(() -> TenantDeploySettings.forTenant(settings, "acme"))
                .hasMessage("--tenant acme: no tenants are declared (TENANTS is empty)");
    }

    /** The same mistakes stop both readers, with the same line. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "TENANTS=acme\nTENANT_ACMEX_LAG_THRESHOLD=1",
        "TENANTS=x,x-activation",
        "TENANTS=Acme",
        "TENANTS=default",
        "TENANTS=acme,acme",
        "TENANT_ACME_MAX_REPLICAS=3",
        "TENANTS=acme\nTENANT_ACME_K8S_NAMESPACE=kube-system",
    })
    void bashAndJavaRefuseTheSameTenantMistakes(String lines, @TempDir Path dir) throws IOException {
        Path env = dir.resolve(".env");
        Files.writeString(env, lines + "\n");
        Map<String, String> settings = new LinkedHashMap<>();
        DeploySettings.read(RenderedManifests.ROOT.resolve(".env.example"), settings);
        DeploySettings.read(env, settings);
        String javaError;
        try {
            for (String tenant : TenantDeploySettings.tenants(settings)) {
                TenantDeploySettings.forTenant(settings, tenant);
            }
            javaError = "none";
        } catch (IllegalArgumentException e) {
            javaError = e.getMessage();
        }
        String script = "source \"$0/scripts/lib.sh\"; (load_env) 2>&1 | sed -n 's/^ERROR: //p'";
        String bash = RenderedManifests.bash(List.of("bash", "-c", script, RenderedManifests.ROOT.toString()), env)
                .strip();
        assertThat(javaError).isNotEqualTo("none").isEqualTo(bash);
    }
}
