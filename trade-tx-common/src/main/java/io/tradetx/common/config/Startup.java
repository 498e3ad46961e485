package io.tradetx.common.config;

import java.util.function.Supplier;

/** Turns invalid settings into the documented start-up failure: one line per problem, exit code 2. */
public final class Startup {
    public static final int EXIT_INVALID_SETTINGS = 2;

    private Startup() {
    }

    public static <T> T settingsOrExit(Supplier<T> reader) {
        try {
            return reader.get();
        } catch (InvalidSettingsException e) {
            for (String line : e.problems()) {
                System.err.println("Invalid setting: " + line);
            }
            System.exit(EXIT_INVALID_SETTINGS);
            throw e; // unreachable
        }
    }
}
