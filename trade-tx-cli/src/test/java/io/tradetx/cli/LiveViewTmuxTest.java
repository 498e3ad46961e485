package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tradetx.local.TestSpecs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./trade-tx local} as a person sees it on a terminal: the command line runs inside tmux (a real
 * pseudo-terminal, Debian package tmux), the test types a rate and Enter, then Ctrl-C, and reads the screen with
 * {@code tmux capture-pane}. The live view must show the {@code kubectl get hpa} header and row, stay within a
 * bounded block that refreshes in place, show the typed rate, keep the per-batch log lines off the screen (they
 * go to the log file it names), and the run must exit 0 leaving no process behind.
 */
class LiveViewTmuxTest {
    private static final String SESSION = "live";
    private static final String HPA_NAME = "keda-hpa-trade-tx-consumer-scaler";
    private static final Pattern HEADER = Pattern.compile(
            "^NAME\\s+REFERENCE\\s+TARGETS\\s+MINPODS\\s+MAXPODS\\s+REPLICAS\\s+AGE$", Pattern.MULTILINE);
    /** Whatever ScaledObject k8s/ holds: TARGETS as HpaStatusLine writes them, then MINPODS MAXPODS REPLICAS AGE. */
    private static final Pattern ROW = Pattern.compile(
            "^" + HPA_NAME + "\\s+Deployment/trade-tx-consumer\\s+\\S.*\\(avg\\)\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\S+$",
            Pattern.MULTILINE);
    private static final Pattern ELAPSED = Pattern.compile("trade-tx local\\s+t=(\\d+)\\.\\ds");
    /** The block's height at most: title, ScaledObject, 2 HPA lines, 4 status lines, 5 events, note, hint, prompt. */
    private static final int MAX_LINES = 18;
    private static final int TYPED_RATE = 750;

    private Path socket;
    /** Written by the session's shell when the run has ended: its exit code. */
    private Path exitCode;

    @Test
    void liveViewRefreshesInPlaceTakesATypedRateAndExitsCleanly(@TempDir Path dir) throws Exception {
        Path tmux = onPath("tmux");
        if ("true".equals(System.getenv("CI"))) {
            assertThat(tmux).as(".ci/run installs the Debian package tmux").isNotNull();
        }
        assumeTrue(tmux != null, "tmux is not installed (apt-get install tmux)");
        socket = dir.resolve("tmux.sock");
        exitCode = dir.resolve("exit-code");
        // java.io.tmpdir in the test's directory: the run's work dir and the broker's data land there, so every
        // process it starts can be found by that path afterwards.
        Path script = dir.resolve("run.sh");
        Files.writeString(script, String.join("\n",
                // Ctrl-C goes to the whole foreground group: the shell must outlive it to write the exit code (a
                // trap with a command is reset in the child, so java still gets SIGINT).
                "trap : INT",
                "cd " + quote(dir.toString()),
                quote(Path.of(System.getProperty("java.home"), "bin", "java").toString()) + " -Xmx512m"
                        + " -Dtradetx.home=" + quote(TestSpecs.ROOT.toString())
                        + " -Djava.io.tmpdir=" + quote(dir.toString()) + " -cp "
                        + quote(System.getProperty("java.class.path")) + " " + TradeTxCli.class.getName()
                        + " local --rate 200 --speedup 10 --start-delay 0s --metrics-port -1",
                "echo $? > " + quote(exitCode.toString()), ""));
        try {
            tmux("new-session", "-d", "-s", SESSION, "-x", "160", "-y", "45", "sh " + quote(script.toString()),
                    ";", "set-option", "-t", SESSION, "remain-on-exit", "on");

            String first = awaitScreen(Duration.ofSeconds(120), s -> ROW.matcher(s).find() && elapsed(s) >= 3);
            assertThat(first).as(first).containsPattern(HEADER).contains("PODS", "LAG", "PRODUCER", "EVENTS",
                    "Type a rate (msg/s) + Enter");
            // Several HPA syncs later (1.5 s apart at speedup 10) the block is still one block in the same place.
            String later = awaitScreen(Duration.ofSeconds(60), s -> elapsed(s) >= elapsed(first) + 5);
            assertInPlace(first, later);

            tmux("send-keys", "-t", SESSION, String.valueOf(TYPED_RATE), "Enter");
            String typed = awaitScreen(Duration.ofSeconds(30), s -> s.contains("target " + TYPED_RATE + " msg/s")
                    && Pattern.compile("sending (6[5-9]\\d|[78]\\d\\d) msg/s").matcher(s).find());
            assertThat(typed).contains("producer rate set to " + TYPED_RATE + " msg/s");
            assertInPlace(first, typed);

            tmux("send-keys", "-t", SESSION, "C-c");
            await().atMost(Duration.ofSeconds(90)).until(() -> Files.exists(exitCode)
                    && !Files.readString(exitCode).isBlank());
            String last = capture();
            assertThat(Files.readString(exitCode).trim()).as(last).isEqualTo("0");
            assertThat(last).as(last).contains("Stopping: producer first").containsPattern(ROW)
                    .doesNotContain("Processing batch of");
            Matcher logs = Pattern.compile("Logs: (\\S+)").matcher(last);
            assertThat(logs.find()).as(last).isTrue();
            String log = Files.readString(Path.of(logs.group(1)));
            assertThat(log).as("the log file has what the screen does not")
                    .contains("Processing batch of", "Target rate changed: 200 -> " + TYPED_RATE, "Kafka broker stopped")
                    .doesNotContain("Could not commit");
            Matcher pid = Pattern.compile("\\(pid (\\d+),").matcher(log);
            assertThat(pid.find()).as(log).isTrue();
            long brokerPid = Long.parseLong(pid.group(1));
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(processesUsing(dir))
                    .as("processes started by the run (the broker was pid %d)", brokerPid).isEmpty());
        } finally {
            tmux("kill-server");
        }
    }

    /** The second screen shows the same block: as many lines, the HPA header and row once each, on the same lines. */
    private static void assertInPlace(String before, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        assertThat(b).as(after).hasSizeLessThanOrEqualTo(MAX_LINES);
        assertThat(count(after, HPA_NAME)).as("one HPA row, refreshed in place\n" + after).isEqualTo(1);
        assertThat(count(after, "NAME ")).as("one header\n" + after).isEqualTo(1);
        assertThat(indexOf(b, HPA_NAME)).as("the HPA row stays on its line\n" + after).isEqualTo(indexOf(a, HPA_NAME));
        assertThat(after).doesNotContain("Processing batch of");
    }

    private String awaitScreen(Duration timeout, java.util.function.Predicate<String> done) {
        String[] screen = {""};
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).until(() -> {
                boolean ended = Files.exists(exitCode);
                screen[0] = capture();
                if (done.test(screen[0])) {
                    return true;
                }
                if (ended) {
                    throw new AssertionError("the run ended early; the screen shows:\n" + screen[0]);
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the screen did not get there within " + timeout + "; it shows:\n" + screen[0], e);
        }
        return screen[0];
    }

    /** The screen as it is now: the live view's while it runs, the shell's (with its history) once it ended. */
    private String capture() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-S", "-", "-t", SESSION);
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        // The session gets this environment: no settings from the test run that would change the run.
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.equals("CONSUMER_GROUP")
                || k.startsWith("BATCH_") || k.equals("MESSAGES_PER_SECOND") || k.equals("TMUX"));
        pb.environment().putAll(Map.of("TERM", "xterm-256color"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("tmux %s", args[0]).isTrue();
        return out;
    }

    private static List<Long> processesUsing(Path dir) {
        String marker = dir.toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker) && !c.contains("tmux")).orElse(false))
                .map(ProcessHandle::pid).toList();
    }

    private static int elapsed(String screen) {
        Matcher m = ELAPSED.matcher(screen);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static List<String> lines(String screen) {
        List<String> all = new ArrayList<>(screen.lines().toList());
        while (!all.isEmpty() && all.get(all.size() - 1).isBlank()) {
            all.remove(all.size() - 1);
        }
        return all;
    }

    private static int indexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
