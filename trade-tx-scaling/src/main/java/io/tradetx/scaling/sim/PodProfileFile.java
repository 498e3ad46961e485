package io.tradetx.scaling.sim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes a {@link PodProfile} as a {@code key=value} file (comments with #); unknown keys are errors,
 * missing keys take {@link PodProfile#DEFAULT}'s values.
 */
public final class PodProfileFile {

    public static final String CAPACITY = "capacity_msgs_per_sec";
    public static final String START_DELAY = "start_delay_seconds";
    public static final String RAMP_UP = "ramp_up_seconds";
    public static final String PAUSE_EAGER = "rebalance_pause_seconds.eager";
    public static final String PAUSE_COOPERATIVE = "rebalance_pause_seconds.cooperative";
    public static final String PAUSE_CONSUMER = "rebalance_pause_seconds.consumer";

    private PodProfileFile() {
    }

    public static PodProfile read(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    public static void write(Path file, PodProfile profile) throws IOException {
        Files.writeString(file, format(profile), StandardCharsets.UTF_8);
    }

    /** Parses the file's text; throws IllegalArgumentException listing every bad line. */
    public static PodProfile parse(String text) {
        PodProfile d = PodProfile.DEFAULT;
        Map<String, Double> v = new LinkedHashMap<>();
        v.put(CAPACITY, d.capacityMsgsPerSec());
        v.put(START_DELAY, d.startDelaySeconds());
        v.put(RAMP_UP, d.rampUpSeconds());
        v.put(PAUSE_EAGER, d.pauseEagerSeconds());
        v.put(PAUSE_COOPERATIVE, d.pauseCooperativeSeconds());
        v.put(PAUSE_CONSUMER, d.pauseConsumerSeconds());
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            String key = eq < 0 ? line : line.substring(0, eq).trim();
            if (eq < 0 || !v.containsKey(key)) {
                problems.add("line " + (i + 1) + ": " + (eq < 0 ? "expected key=value" : "unknown key " + key));
                continue;
            }
            try {
                v.put(key, Double.parseDouble(line.substring(eq + 1).trim()));
            } catch (NumberFormatException e) {
                problems.add("line " + (i + 1) + ": " + key + " must be a number");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid pod profile:\n  " + String.join("\n  ", problems));
        }
        return new PodProfile(v.get(CAPACITY), v.get(START_DELAY), v.get(RAMP_UP), v.get(PAUSE_EAGER),
                v.get(PAUSE_COOPERATIVE), v.get(PAUSE_CONSUMER));
    }

    /** The file's text for {@code p}. */
    public static String format(PodProfile p) {
        return "# trade-tx pod profile: what one consumer pod can do (read by simulate and tune)\n"
                + CAPACITY + "=" + num(p.capacityMsgsPerSec()) + "\n"
                + START_DELAY + "=" + num(p.startDelaySeconds()) + "\n"
                + RAMP_UP + "=" + num(p.rampUpSeconds()) + "\n"
                + PAUSE_EAGER + "=" + num(p.pauseEagerSeconds()) + "\n"
                + PAUSE_COOPERATIVE + "=" + num(p.pauseCooperativeSeconds()) + "\n"
                + PAUSE_CONSUMER + "=" + num(p.pauseConsumerSeconds()) + "\n";
    }

    private static String num(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
