package io.tradetx.scaling.nodes;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node's capacity, and what the kubelet leaves for pods: EKS reserves CPU for system daemons by the cores
 * (6 % of the first, 1 % of the second, 0.5 % of the next two, 0.25 % of the rest), memory as 255Mi + 11Mi per
 * pod the node may run, and keeps a 100Mi hard eviction threshold.
 *
 * @param vcpus     virtual CPUs
 * @param memoryMiB memory in MiB
 * @param maxPods   pods the kubelet accepts on the node
 */
public record NodeSize(double vcpus, double memoryMiB, int maxPods) {

    /** A 4 vCPU / 8 GiB node (c6a.xlarge class): room for 15 consumer pods. */
    public static final NodeSize DEFAULT = new NodeSize(4, 8 * 1024, 110);
    static final double EVICTION_HARD_MIB = 100;
    private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)/(\\d+(?:\\.\\d+)?)(Gi|Mi)");

    public NodeSize {
        if (!(vcpus > 0) || !(memoryMiB > 0) || maxPods <= 0) {
            throw new IllegalArgumentException("a node needs CPUs, memory and pods: " + vcpus + ", " + memoryMiB);
        }
    }

    /** Parses {@code VCPUS/MEMORY}, e.g. {@code 4/8Gi} or {@code 2/4096Mi}; max pods 110. */
    public static NodeSize parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad node size '" + text + "': expected VCPUS/MEMORY, e.g. 4/8Gi");
        }
        double mem = Double.parseDouble(m.group(2)) * (m.group(3).equals("Gi") ? 1024 : 1);
        return new NodeSize(Double.parseDouble(m.group(1)), mem, DEFAULT.maxPods());
    }

    /** CPU the kubelet reserves, in millicores (the EKS AMI's kube-reserved formula). */
    public double reservedCpuMillis() {
        double cores = vcpus;
        double r = 60 * Math.min(cores, 1);
        r += 10 * Math.max(0, Math.min(cores, 2) - 1);
        r += 5 * Math.max(0, Math.min(cores, 4) - 2);
        r += 2.5 * Math.max(0, cores - 4);
        return r;
    }

    /** Memory the kubelet reserves plus the eviction threshold, in MiB. */
    public double reservedMemoryMiB() {
        return 255 + 11.0 * maxPods + EVICTION_HARD_MIB;
    }

    /** How many pods with {@code requests} fit (DaemonSets: none request resources here). */
    public int podsPerNode(PodRequests requests) {
        int byCpu = (int) Math.floor((vcpus * 1000 - reservedCpuMillis()) / requests.cpuMillis());
        int byMemory = (int) Math.floor((memoryMiB - reservedMemoryMiB()) / requests.memoryMiB());
        int pods = Math.min(maxPods, Math.min(byCpu, byMemory));
        if (pods < 1) {
            throw new IllegalArgumentException("a pod with " + requests + " does not fit on a node of " + this);
        }
        return pods;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s vCPU / %s MiB", trim(vcpus), trim(memoryMiB));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
