package io.tradetx.local.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.consumer.pool.ConsumerPool.PodState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live view's layout: fixed height, the HPA rows verbatim, one character per pod, lag levels, and the ANSI. */
class StatusBlockTest {
    private static final List<String> HPA = List.of("NAME   REFERENCE   TARGETS", "keda-hpa-x   Deployment/y   6827/5k (avg)");

    private static LiveStatus status(List<String> events, List<Long> lag, String note) {
        return new LiveStatus(42.34, "trade-tx", 24, "g", new ScalingDisplay("ScaledObject x", HPA, events,
                "burst: spike"), List.of(PodState.READY, PodState.READY, PodState.JOINING, PodState.STARTING,
                PodState.DRAINING), lag, null, 2000, 1998.4, 1180.6, note, "/tmp/run/local.log");
    }

    @Test
    void keepsItsHeightWhateverTheNumberOfEvents() {
        List<String> none = StatusBlock.render(status(List.of(), List.of(1L), null), 5, false);
        List<String> seven = StatusBlock.render(status(List.of("1", "2", "3", "4", "5", "6", "7"), List.of(1L), null),
                5, false);
        assertThat(seven).hasSameSizeAs(none);
        assertThat(seven).anyMatch(l -> l.startsWith("EVENTS     3")).anyMatch(l -> l.endsWith(" 7"))
                .noneMatch(l -> l.endsWith(" 2"));
        assertThat(StatusBlock.fixedLines(status(List.of(), List.of(1L), null)) + 5)
                .isEqualTo(none.size() + StatusBlock.footer(status(List.of(), List.of(1L), null)).size());
    }

    @Test
    void showsTheHpaRowsPodsRatesAndFooter() {
        LiveStatus s = status(List.of("t=21.1s HPA: scaled 1 -> 2 (metric proposes 2)"), List.of(0L, 10L, 100L),
                "t=9.6s: producer rate set to 1500 msg/s");
        List<String> lines = StatusBlock.render(s, 5, false);
        assertThat(lines.get(0)).isEqualTo("trade-tx local   t=42.3s   topic trade-tx (24 partitions), group g");
        assertThat(lines).containsSubsequence(HPA);
        assertThat(lines).contains("PODS       ##+.-                     2 ready #, 1 joining +, 1 starting ., 1 draining -",
                "LAG        110 total, max 100 (partition 2)   [ .@]",
                "PRODUCER   target 2000 msg/s, sending 1998 msg/s", "CONSUMERS  processing 1181 msg/s",
                "SCENARIO   burst: spike", "EVENTS     t=21.1s HPA: scaled 1 -> 2 (metric proposes 2)");
        assertThat(StatusBlock.footer(s)).containsExactly("t=9.6s: producer rate set to 1500 msg/s",
                "Type a rate (msg/s) + Enter to change the load; q + Enter or Ctrl-C to stop. Logs: /tmp/run/local.log");
    }

    @Test
    void lagLevelsScaleToTheLargestPartition() {
        assertThat(StatusBlock.lag(List.of(0L, 1L, 50L, 99L, 100L), null, false)).endsWith("[ .+@@]");
        assertThat(StatusBlock.lag(List.of(0L, 1L, 100L), null, true)).endsWith("[ \u2581\u2588]");
        assertThat(StatusBlock.lag(List.of(), "broker down", false)).isEqualTo("unavailable: broker down");
    }

    @Test
    void unicodeOnlyWhenTheLocaleSaysUtf8() {
        assertThat(Terminal.utf8(Map.of("LANG", "en_US.UTF-8"))).isTrue();
        assertThat(Terminal.utf8(Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8"))).isFalse();
        assertThat(Terminal.utf8(Map.of())).isFalse();
    }

    @Test
    void screenWritesInPlaceCutToTheWidthAndNeverBelowThePrompt() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TerminalScreen screen = new TerminalScreen(new PrintStream(bytes, true, StandardCharsets.UTF_8), 10, 12);
        screen.open();
        screen.draw(List.of("first line is long", "second"));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\033[?1049h").contains("\0337\033[1;1Hfirst line \033[K\033[2;1Hsecond\033[K\0338")
                .endsWith("\033[3;1H> \033[J").doesNotContain("\n");
        bytes.reset();
        screen.draw(List.of("a", "b"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).as("same height: the prompt and what is typed stay")
                .doesNotContain("> ");
        bytes.reset();
        screen.close(List.of("last"));
        assertThat(bytes.toString(StandardCharsets.UTF_8)).startsWith("\033[?1049l").contains("last");
    }
}
