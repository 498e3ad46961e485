package io.tradetx.local.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.scale.DeploySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The settings file grammar is one: scripts/lib.sh's load_env (what the deploy scripts read) and
 * the Java DeploySettings (what the local runner reads) give the same values for the same file.
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
}
