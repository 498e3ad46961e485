package io.tradetx.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A child JVM (the broker, an app under test, a bench or chaos child) gets the settings it is given and none of the
 * caller's.
 */
class ChildJvmTest {

    @Test
    void noSettingOfTheCallerLeaksIntoAChild() {
        Map<String, String> caller = Map.of("PATH", "/usr/bin", "HOME", "/root", "GROUP_PROTOCOL", "consumer",
                "DLQ_TOPIC", "other.dlq", "SINK_TABLE", "prod", "JAVA_TOOL_OPTIONS", "-Xmx8g",
                "SHUTDOWN_GRACE_PERIOD_SECONDS", "5", "KAFKA_CLIENT_LINGER_MS", "100");
        Map<String, String> child = ChildJvm.environment(caller, Map.of("KAFKA_TOPIC", "t", "GROUP_PROTOCOL", "classic"));
        assertThat(child).containsExactlyInAnyOrderEntriesOf(Map.of("PATH", "/usr/bin", "HOME", "/root",
                "KAFKA_TOPIC", "t", "GROUP_PROTOCOL", "classic"));
        assertThat(ChildJvm.environment(caller, Map.of())).doesNotContainKeys("GROUP_PROTOCOL", "DLQ_TOPIC");
    }
}
