package io.tradetx.scaling.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A producer rate over time: segments like {@code 10x60s} (10 msg/s for 60 s) or ramps like
 * {@code 100-1000x2m}; durations in s, m or h.
 */
public record LoadProfile(List<Segment> segments) {

    /** One segment: the rate goes linearly from {@code fromRate} to {@code toRate} over its seconds. */
    public record Segment(double fromRate, double toRate, int seconds) {
        /** The rate at second {@code i} of the segment (both ends included). */
        double rateAt(int i) {
            if (seconds <= 1 || fromRate == toRate) {
                return fromRate;
            }
            return fromRate + (toRate - fromRate) * i / (seconds - 1);
        }
    }

    private static final Pattern SEGMENT = Pattern.compile(
            "(\\d+(?:\\.\\d+)?)(?:-(\\d+(?:\\.\\d+)?))?x(\\d+)([smh])");

    public LoadProfile {
        segments = List.copyOf(segments);
        if (segments.isEmpty()) {
            throw new IllegalArgumentException("a load profile needs at least one segment");
        }
    }

    /** Parses e.g. {@code 10x60s,1000x300s,0x900s} or {@code 100-1000x120s,1000x5m}. */
    public static LoadProfile parse(String text) {
        List<Segment> segments = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher m = SEGMENT.matcher(part.trim().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("bad load segment '" + part.trim()
                        + "': expected RATExDURATION or FROM-TOxDURATION, e.g. 1000x300s or 100-1000x2m");
            }
            double from = Double.parseDouble(m.group(1));
            double to = m.group(2) == null ? from : Double.parseDouble(m.group(2));
            int unit = switch (m.group(4)) {
                case "h" -> 3600;
                case "m" -> 60;
                default -> 1;
            };
            int seconds = Math.multiplyExact(Integer.parseInt(m.group(3)), unit);
            if (seconds <= 0) {
                throw new IllegalArgumentException("segment '" + part.trim() + "' has no duration");
            }
            segments.add(new Segment(from, to, seconds));
        }
        return new LoadProfile(segments);
    }

    /** The whole profile's length in seconds. */
    public int totalSeconds() {
        return segments.stream().mapToInt(Segment::seconds).sum();
    }

    /** The rate at second {@code t}; 0 after the end. */
    public double rateAt(int t) {
        int start = 0;
        for (Segment s : segments) {
            if (t < start + s.seconds()) {
                return s.rateAt(t - start);
            }
            start += s.seconds();
        }
        return 0;
    }

    /** The start of the first segment with the highest rate: the spike a burst test measures from. */
    public int spikeStartSecond() {
        return spike()[0];
    }

    /** {start, end (exclusive)} of the first segment with the highest rate. */
    private int[] spike() {
        double peak = -1;
        int[] spike = {0, 0};
        int start = 0;
        for (Segment s : segments) {
            double top = Math.max(s.fromRate(), s.toRate());
            if (top > peak) {
                peak = top;
                spike = new int[] {start, start + s.seconds()};
            }
            start += s.seconds();
        }
        return spike;
    }

    /** The same load starting {@code seconds} later: the first segment lasts that much longer. */
    public LoadProfile delayed(int seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("delay must be >= 0");
        }
        List<Segment> out = new ArrayList<>(segments);
        Segment first = out.get(0);
        if (first.fromRate() != first.toRate()) {
            out.add(0, new Segment(first.fromRate(), first.fromRate(), seconds));
        } else {
            out.set(0, new Segment(first.fromRate(), first.toRate(), first.seconds() + seconds));
        }
        return new LoadProfile(out.stream().filter(s -> s.seconds() > 0).toList());
    }

    /** The profile cut after {@code seconds} (at least one second kept). */
    public LoadProfile truncated(int seconds) {
        List<Segment> out = new ArrayList<>();
        int left = Math.max(1, seconds);
        for (Segment s : segments) {
            if (left <= 0) {
                break;
            }
            if (s.seconds() <= left) {
                out.add(s);
            } else {
                out.add(new Segment(s.fromRate(), s.rateAt(left - 1), left));
            }
            left -= s.seconds();
        }
        return new LoadProfile(out);
    }

    /** The end (exclusive second) of the first segment with the highest rate: where "after the spike" starts. */
    public int spikeEndSecond() {
        return spike()[1];
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (Segment s : segments) {
            String rate = fmt(s.fromRate()) + (s.fromRate() == s.toRate() ? "" : "-" + fmt(s.toRate()));
            parts.add(rate + "x" + s.seconds() + "s");
        }
        return String.join(",", parts);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
