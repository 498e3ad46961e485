package io.tradetx.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two Dockerfiles, read instruction by instruction: base images pinned by digest, the Maven
 * stage on the build platform, the runtime stage non-root and exposing the metrics port.
 */
class DockerfilesTest {
    private static final Pattern FROM = Pattern.compile(
            "FROM(?: --platform=(\\S+))? (\\S+?)(?:@(sha256:[0-9a-f]{64}))?(?: AS (\\w+))?");

    record Stage(String platform, String image, String digest, String name, List<String> instructions) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"producer", "consumer"})
    void baseImagesArePinnedAndOnlyTheRuntimeStageIsTargetPlatform(String app) throws IOException {
        List<Stage> stages = stages(Files.readString(RenderedManifests.ROOT.resolve("trade-tx-" + app + "/Dockerfile")));
        assertThat(stages).hasSize(2);
        for (Stage s : stages) {
            assertThat(s.digest()).as(s.image() + " pinned by digest").isNotNull();
        }
        Stage build = stages.get(0);
        Stage runtime = stages.get(1);
        assertThat(build.name()).isEqualTo("build");
        assertThat(build.platform()).as("Maven runs on the build machine's platform").isEqualTo("$BUILDPLATFORM");
        assertThat(build.instructions()).anyMatch(i -> i.contains("-pl trade-tx-" + app + " -am"));
        assertThat(runtime.platform()).as("the runtime stage is the target platform").isNull();
        assertThat(runtime.image()).startsWith("eclipse-temurin:21-jre");
        assertThat(runtime.instructions()).contains("USER 10001:10001", "EXPOSE 8000");
        assertThat(runtime.instructions()).anyMatch(i -> i.startsWith("ENTRYPOINT") && i.contains("-XX:MaxRAMPercentage="));
    }

    /** The stages of a Dockerfile; continuation lines joined, comments dropped. */
    static List<Stage> stages(String dockerfile) {
        List<Stage> stages = new ArrayList<>();
        List<String> current = null;
        String joined = dockerfile.replaceAll("\\\\\\n", " ");
        for (String raw : joined.split("\\n")) {
            String line = raw.strip().replaceAll("\\s+", " ");
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher from = FROM.matcher(line);
            if (from.matches()) {
                current = new ArrayList<>();
                stages.add(new Stage(from.group(1), from.group(2), from.group(3), from.group(4), current));
            } else if (current != null) {
                current.add(line);
            }
        }
        return stages;
    }
}
