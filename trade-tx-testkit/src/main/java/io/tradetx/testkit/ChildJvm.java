package io.tradetx.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Starts a main class in its own JVM on this process's classpath, the one way every child JVM is started (the
 * broker, the apps under test, bench and chaos children): a child gets the settings it is given and only the OS
 * basics of the caller's environment.
 */
public final class ChildJvm {
    /**
     * The JVM flags of the throughput benchmarks, the same for our clients and Kafka's perf tools: a
     * 384Mi container (-XX:MaxRAM=384m makes the JVM size itself as it would inside that limit) with a
     * 75 % heap (288 MB) and the full JIT, so the ratios compare client code, not JVM flags.
     */
    public static final List<String> POD_FLAGS = List.of("-XX:MaxRAM=384m", "-XX:MaxRAMPercentage=75",
            "-XX:+ExitOnOutOfMemoryError");

    /**
     * The consumer image's own JVM flags (trade-tx-consumer/Dockerfile, k8s/consumer-deployment.yaml) in its
     * 384Mi limit: serial GC, a 30 % heap, C1 only and a small code cache. A pod does ~100 msg/s, far
     * below what C1 code can do, and these flags cut resident memory by ~100 MB and start-up by ~0.4 s.
     * Cold start and memory are measured with them; the throughput ratios keep the full JIT on both sides.
     */
    public static final List<String> CONSUMER_POD_FLAGS = List.of("-XX:MaxRAM=384m", "-XX:+UseSerialGC",
            "-XX:MaxRAMPercentage=30", "-XX:TieredStopAtLevel=1", "-XX:ReservedCodeCacheSize=32m", "-Xss512k",
            "-XX:+ExitOnOutOfMemoryError");

    private ChildJvm() {
    }

    /** Variables a child keeps from this process: the OS basics, never an app setting. */
    private static final Set<String> INHERITED = Set.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "LC_CTYPE", "TZ",
            "TMPDIR");

    public static Process start(List<String> jvmFlags, String mainClass, List<String> args, Map<String, String> env,
                                Path output) throws IOException {
        List<String> flags = new ArrayList<>(jvmFlags);
        String extra = System.getenv("TRADE_TX_BENCH_CHILD_OPTS"); // e.g. -XX:StartFlightRecording=... to profile
        if (extra != null && !extra.isBlank()) {
            flags.addAll(List.of(extra.trim().split("\\s+")));
        }
        return builder(flags, mainClass, args, env).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** A main class of the test classpath with a 256 MB heap, output into a file. */
    public static Process start(Class<?> main, Map<String, String> env, Path output, String... args)
            throws IOException {
        return start(main, List.of("-Xmx256m"), env, output, args);
    }

    /** The same with the given JVM options instead of the default heap (e.g. the consumer image's flags). */
    public static Process start(Class<?> main, List<String> jvmOptions, Map<String, String> env, Path output,
                                String... args) throws IOException {
        return start(jvmOptions, main.getName(), List.of(args), env, output);
    }

    /**
     * The command line ({@code java FLAGS -cp CLASSPATH MAIN ARGS}) and environment of a child JVM, for a caller
     * that redirects its output itself or prefixes the command (the broker runs under setsid).
     */
    public static ProcessBuilder builder(List<String> jvmFlags, String mainClass, List<String> args,
                                         Map<String, String> env) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> childEnv = environment(pb.environment(), env);
        pb.environment().clear();
        pb.environment().putAll(childEnv);
        return pb;
    }

    /**
     * A child's environment: the given settings, plus only the OS basics of the caller's, so none of the
     * caller's variables (GROUP_PROTOCOL, DLQ_TOPIC, SINK_*, JAVA_TOOL_OPTIONS, any setting added later)
     * leak in.
     */
    static Map<String, String> environment(Map<String, String> inherited, Map<String, String> settings) {
        Map<String, String> env = new java.util.HashMap<>(inherited);
        env.keySet().retainAll(INHERITED);
        env.putAll(settings);
        return env;
    }

    /** Waits for the process to end; kills it after the timeout. Returns its output. */
    public static String await(Process p, long timeoutSeconds, Path output) throws IOException, InterruptedException {
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new IOException("Child JVM did not finish within " + timeoutSeconds + " s; see " + output + ":\n"
                    + tail(output));
        }
        return Files.readString(output);
    }

    /** A finished child's output and the CPU time it used (user + system, sampled every 50 ms until it ended). */
    public record Finished(String output, double cpuMillis) {
    }

    /** Like {@link #await} but also tracks the child's CPU time from /proc/PID/stat. */
    public static Finished awaitWithCpu(Process p, long timeoutSeconds, Path output) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        double cpu = 0;
        Path stat = Path.of("/proc", String.valueOf(p.pid()), "stat");
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            try {
                String line = Files.readString(stat);
                String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // utime + stime in 10 ms ticks
            } catch (IOException | RuntimeException gone) {
                // ended between waitFor and the read
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new IOException("Child JVM did not finish within " + timeoutSeconds + " s; see " + output
                        + ":\n" + tail(output));
            }
        }
        return new Finished(Files.readString(output), cpu);
    }

    public static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no output)";
        }
    }

    /** The whole output of a child, or "" while it has written none. */
    public static String output(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
