package io.tradetx.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs a {@code trade-tx} command in this JVM and captures what it prints. */
public final class Cli {
    /** Exit code and standard output of one command. */
    public record Result(int exitCode, String out) {
    }

    private Cli() {
    }

    public static Result run(String... args) {
        return run(System.getenv(), args);
    }

    /** Runs with {@code environment} as the shell's settings layer of the commands that take it (simulate, tune). */
    public static synchronized Result run(Map<String, String> environment, String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            int code = TradeTxCli.commandLine(environment).execute(args);
            capture.flush();
            return new Result(code, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(saved);
        }
    }
}
