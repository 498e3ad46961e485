package io.tradetx.common.config;

import java.util.function.Supplier;

/** Turns invalid settings into the documented start-up failure: one line per problem, exit code 2. */
public final class Startup {
    public static final int EXIT_INVALID_SETTINGS = 2;

    private Startup() {
    }

    /** Prints one line per problem on stderr, the form every entry point uses. */
    public static void report(InvalidSettingsException e) {
        for (String line : e.problems()) {
            System.err.println("Invalid setting: " + line);
        }
    }

    public static <T> T settingsOrExit(Supplier<T> reader) {
        try {
            return reader.get();
        } catch (InvalidSettingsException e) {
            report(e);
            System.exit(EXIT_INVALID_SETTINGS);
            throw e; // unreachable
        }
    }
}
