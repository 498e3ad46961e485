package io.tradetx.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a main class in a separate JVM on the test classpath, with its output in a file. */
public final class JavaProcess {
    private JavaProcess() {
    }

    public static Process start(Class<?> main, Map<String, String> env, Path output, String... args)
            throws IOException {
        return start(main, List.of("-Xmx256m"), env, output, args);
    }

    /** The same with the given JVM options instead of the default heap (e.g. the consumer image's flags). */
    public static Process start(Class<?> main, List<String> jvmOptions, Map<String, String> env, Path output,
                                String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("KAFKA_") || k.equals("CONSUMER_GROUP")
                || k.startsWith("BATCH_") || k.equals("MESSAGES_PER_SECOND"));
        pb.environment().putAll(env);
        return pb.start();
    }

    public static String output(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }
}
