package io.tradetx.common.config;

import java.util.List;

/** Thrown when one or more settings are missing or invalid; carries one line per problem. */
public final class InvalidSettingsException extends RuntimeException {
    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super(String.join(System.lineSeparator(), problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
