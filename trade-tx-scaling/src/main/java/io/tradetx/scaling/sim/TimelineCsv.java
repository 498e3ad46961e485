package io.tradetx.scaling.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a simulation timeline as CSV, one row per simulated second. */
public final class TimelineCsv {

    public static final String HEADER = "t_seconds,rate_in,rate_processed,lag_total,replicas_desired,replicas_ready,active";

    private TimelineCsv() {
    }

    /** The CSV text: the header, then one line per row; active is 1 or 0. */
    public static String format(List<TimelineRow> rows) {
        StringBuilder b = new StringBuilder(HEADER).append('\n');
        for (TimelineRow r : rows) {
            b.append(r.tSeconds()).append(',').append(r.rateIn()).append(',').append(r.rateProcessed()).append(',')
                    .append(r.lagTotal()).append(',').append(r.replicasDesired()).append(',')
                    .append(r.replicasReady()).append(',').append(r.active() ? 1 : 0).append('\n');
        }
        return b.toString();
    }

    public static void write(Path file, List<TimelineRow> rows) throws IOException {
        Files.writeString(file, format(rows), StandardCharsets.UTF_8);
    }
}
