package io.tradetx.scaling.spec;

/** Where a consumer without a committed offset starts reading, as the kafka scaler's offsetResetPolicy. */
public enum OffsetResetPolicy {
    LATEST, EARLIEST;

    /** The YAML spelling. */
    public String yaml() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
