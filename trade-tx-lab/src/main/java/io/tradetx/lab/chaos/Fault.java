package io.tradetx.lab.chaos;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults of {@code trade-tx chaos}; each runs alone on its own topic and group. */
public enum Fault {
    SINK_OUTAGE_DURING_SCALE_OUT("the sink fails every write for --outage while the group scales out from 1 to 3"),
    SINK_REJECTS_RECORDS("the sink rejects every batch holding one of 1 in 500 trades, as a CHECK constraint would"),
    OVERSIZED_RECORDS("a backlog of valid trades padded to 1 MB, near the topic's size limit, then normal ones"),
    DLQ_OUTAGE("1 in 200 messages is not a trade while the dead-letter topic is deleted for --outage"),
    SIGTERM_DURING_OUTAGE("SIGTERM to every consumer while the sink is down, then new consumers once it is back"),
    BROKER_RESTART("the broker stops and starts again on the same data mid-run"),
    KILLS("SIGKILL --kills consumers (each replaced after 1 s), scale out by 2 and in by 2");

    private final String description;

    Fault(String description) {
        this.description = description;
    }

    /** The name on the command line and in the report, e.g. sink-outage-during-scale-out. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public String description() {
        return description;
    }

    public static Fault parse(String cliName) {
        for (Fault f : values()) {
            if (f.cliName().equals(cliName.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + cliName + "': one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", "));
    }
}
