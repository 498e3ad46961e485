package io.tradetx.scaling.spec;

import java.util.List;

/** Every problem found in a ScaledObject file, each prefixed with its YAML path. */
public class ScaledObjectParseException extends IllegalArgumentException {

    private final List<String> problems;

    public ScaledObjectParseException(List<String> problems) {
        super("invalid ScaledObject:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** The problems, one per line, e.g. {@code spec.pollingIntervl: unknown field}. */
    public List<String> problems() {
        return problems;
    }
}
