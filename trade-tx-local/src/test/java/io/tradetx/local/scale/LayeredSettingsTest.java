package io.tradetx.local.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .env.example, then .env, then the shell, then options: each layer wins over the ones before it. */
class LayeredSettingsTest {

    @Test
    void eachLayerWinsOverThePreviousOneAndSaysWhereItCameFrom(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve(".env.example"), """
                # defaults
                KAFKA_TOPIC=trade-tx
                BATCH_SIZE=100
                LAG_THRESHOLD=2000
                MAX_REPLICAS=24
                """);
        Files.writeString(root.resolve(".env"), """
                BATCH_SIZE=250
                export LAG_THRESHOLD=3000 # per replica
                MAX_REPLICAS=30
                """);
        Map<String, String> shell = Map.of("LAG_THRESHOLD", "4000", "MAX_REPLICAS", "40", "PATH", "/usr/bin",
                "TENANT_A_BATCH_SIZE", "7");
        LayeredSettings s = LayeredSettings.load(root, shell).withOptions(Map.of("MAX_REPLICAS", "50"));

        assertThat(s.values()).containsEntry("KAFKA_TOPIC", "trade-tx").containsEntry("BATCH_SIZE", "250")
                .containsEntry("LAG_THRESHOLD", "4000").containsEntry("MAX_REPLICAS", "50")
                .containsEntry("TENANT_A_BATCH_SIZE", "7")
                .as("a shell variable that is no setting stays out").doesNotContainKey("PATH");
        assertThat(s.describe(List.of("KAFKA_TOPIC", "BATCH_SIZE", "LAG_THRESHOLD", "MAX_REPLICAS", "NOT_SET")))
                .containsExactly("KAFKA_TOPIC=trade-tx (.env.example)", "BATCH_SIZE=250 (.env)",
                        "LAG_THRESHOLD=4000 (environment)", "MAX_REPLICAS=50 (option)");
    }

    @Test
    void withoutDotEnvTheExampleAndTheShellDecide(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve(".env.example"), "BATCH_SIZE=100\nGROUP_PROTOCOL=classic\n");
        LayeredSettings s = LayeredSettings.load(root, Map.of("GROUP_PROTOCOL", "consumer"));
        assertThat(s.describe(List.of("BATCH_SIZE", "GROUP_PROTOCOL")))
                .containsExactly("BATCH_SIZE=100 (.env.example)", "GROUP_PROTOCOL=consumer (environment)");
    }

    @Test
    void theConsumerTakesItsSettingsFromTheLayersButKeepsTheLocalConnection(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve(".env.example"),
                "BATCH_SIZE=100\nKAFKA_AUTH=iam\nTOPIC_REPLICATION_FACTOR=2\nCONSUMER_GROUP=g\n");
        Files.writeString(root.resolve(".env"), "BATCH_SIZE=250\n");
        Map<String, String> shell = Map.of("SINK", "ledger", "CONSUMER_GROUP", "from-shell");
        Map<String, String> env = LayeredSettings.load(root, shell).withOptions(Map.of("TOPIC_PARTITIONS", "6"))
                .consumerEnvironment(shell);
        assertThat(env).containsEntry("BATCH_SIZE", "250").containsEntry("CONSUMER_GROUP", "from-shell")
                .containsEntry("TOPIC_PARTITIONS", "6").containsEntry("SINK", "ledger")
                .as("the deploy's MSK connection is not the local broker's")
                .doesNotContainKeys("KAFKA_AUTH", "TOPIC_REPLICATION_FACTOR");
    }

    @Test
    void secretsAreRedacted(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve(".env.example"), "SINK_JDBC_PASSWORD=\nKAFKA_SASL_PASSWORD=\n");
        LayeredSettings s = LayeredSettings.load(root, Map.of("SINK_JDBC_PASSWORD", "hunter2"));
        assertThat(s.describe(List.of("SINK_JDBC_PASSWORD", "KAFKA_SASL_PASSWORD")))
                .containsExactly("SINK_JDBC_PASSWORD=<redacted> (environment)", "KAFKA_SASL_PASSWORD= (.env.example)");
    }

    @Test
    void theRepositorysExampleHoldsEveryConsumerSettingTheLocalRunPrints() throws Exception {
        LayeredSettings s = LayeredSettings.load(Path.of(".."), Map.of());
        for (String name : LayeredSettings.CONSUMER_SETTINGS) {
            assertThat(s.get(name)).as(name).isNotNull();
        }
    }
}
