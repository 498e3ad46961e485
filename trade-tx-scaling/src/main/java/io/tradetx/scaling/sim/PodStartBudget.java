package io.tradetx.scaling.sim;

import java.util.Locale;

/**
 * What a new consumer pod spends between being bound to a node and consuming: pulling the image, starting the
 * JVM and the app, and joining the consumer group. Each term is a setting; the defaults and where they come
 * from are listed in docs/scaling.md ("Where the pod defaults come from").
 *
 * @param imagePullSeconds  pod sandbox and image pull on a warm node (0 when the image is cached there)
 * @param jvmStartSeconds   JVM start to the consumer's first poll
 * @param groupJoinSeconds  JoinGroup/SyncGroup until partitions are assigned (measured by {@code trade-tx profile})
 */
public record PodStartBudget(double imagePullSeconds, double jvmStartSeconds, double groupJoinSeconds) {

    /**
     * Image pull 4 s (an estimate: the ~110 MB compressed eclipse-temurin JRE image plus the shaded jar from ECR in
     * the same region), JVM start 1 s ({@code cold_start_ms} 854 in docs/benchmarks.md, rounded up; it includes a
     * local join), group join 1.7 s ({@code trade-tx profile}: 0.62 s in a quick run, 1.67 s in a full run on a
     * loaded machine; the larger kept).
     */
    public static final PodStartBudget DEFAULT = new PodStartBudget(4, 1, 1.7);

    public PodStartBudget {
        if (imagePullSeconds < 0 || jvmStartSeconds < 0 || groupJoinSeconds < 0) {
            throw new IllegalArgumentException("pod start terms must be >= 0: " + this);
        }
    }

    /** The start delay of a pod on a node with room: the sum of the terms. */
    public double totalSeconds() {
        return imagePullSeconds + jvmStartSeconds + groupJoinSeconds;
    }

    /** E.g. {@code image pull 4 s + JVM start 1 s + group join 0.6 s}. */
    public String describe() {
        return String.format(Locale.ROOT, "image pull %s s + JVM start %s s + group join %s s", n(imagePullSeconds),
                n(jvmStartSeconds), n(groupJoinSeconds));
    }

    private static String n(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
