package io.tradetx.scaling.nodes;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What one consumer pod asks the scheduler for: the sum of its containers' resource requests.
 *
 * @param cpuMillis CPU in millicores
 * @param memoryMiB memory in MiB
 */
public record PodRequests(double cpuMillis, double memoryMiB) {

    /** k8s/consumer-deployment.yaml's requests (cpu 250m, memory 384Mi), for callers without the file. */
    public static final PodRequests CONSUMER = new PodRequests(250, 384);

    private static final Pattern QUANTITY = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([a-zA-Z]*)");

    public PodRequests {
        if (!(cpuMillis > 0) || !(memoryMiB > 0)) {
            throw new IllegalArgumentException("requests must be > 0: cpu " + cpuMillis + "m, memory " + memoryMiB + "Mi");
        }
    }

    /** The requests of the pod template of the Deployment named {@code name} in {@code yaml} (multi-document). */
    @SuppressWarnings("unchecked")
    public static PodRequests fromDeploymentYaml(String yaml, String name) {
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (!(doc instanceof Map<?, ?> d) || !"Deployment".equals(d.get("kind"))) {
                continue;
            }
            Object meta = d.get("metadata");
            if (name != null && !(meta instanceof Map<?, ?> m && name.equals(m.get("name")))) {
                continue;
            }
            List<Map<String, Object>> containers = (List<Map<String, Object>>) path(d, "spec", "template", "spec",
                    "containers");
            if (containers == null || containers.isEmpty()) {
                throw new IllegalArgumentException("Deployment " + name + " has no containers");
            }
            double cpu = 0;
            double memory = 0;
            for (Map<String, Object> c : containers) {
                Object requests = path(c, "resources", "requests");
                if (!(requests instanceof Map<?, ?> r) || r.get("cpu") == null || r.get("memory") == null) {
                    throw new IllegalArgumentException("container " + c.get("name") + " of Deployment " + name
                            + " has no cpu and memory requests (the scheduler packs pods by them)");
                }
                cpu += cpuMillis(String.valueOf(r.get("cpu")));
                memory += memoryMiB(String.valueOf(r.get("memory")));
            }
            return new PodRequests(cpu, memory);
        }
        throw new IllegalArgumentException("no Deployment " + name + " found");
    }

    private static Object path(Map<?, ?> m, String... keys) {
        Object cur = m;
        for (String k : keys) {
            if (!(cur instanceof Map<?, ?> map)) {
                return null;
            }
            cur = map.get(k);
        }
        return cur;
    }

    /** A Kubernetes CPU quantity ("250m", "1", "0.5") in millicores. */
    public static double cpuMillis(String q) {
        Matcher m = QUANTITY.matcher(q.trim());
        if (!m.matches() || !(m.group(2).isEmpty() || m.group(2).equals("m"))) {
            throw new IllegalArgumentException("not a CPU quantity: '" + q + "' (e.g. 250m or 1)");
        }
        double v = Double.parseDouble(m.group(1));
        return m.group(2).equals("m") ? v : v * 1000;
    }

    /** A Kubernetes memory quantity ("384Mi", "1Gi", "512M", "1000000") in MiB. */
    public static double memoryMiB(String q) {
        Matcher m = QUANTITY.matcher(q.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a memory quantity: '" + q + "' (e.g. 384Mi or 1Gi)");
        }
        double v = Double.parseDouble(m.group(1));
        double bytes = switch (m.group(2)) {
            case "" -> v;
            case "k" -> v * 1e3;
            case "M" -> v * 1e6;
            case "G" -> v * 1e9;
            case "T" -> v * 1e12;
            case "Ki" -> v * 1024;
            case "Mi" -> v * 1024 * 1024;
            case "Gi" -> v * 1024 * 1024 * 1024;
            case "Ti" -> v * 1024.0 * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown memory unit in '" + q + "'");
        };
        return bytes / (1024 * 1024);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "cpu %.0fm, memory %.0fMi", cpuMillis, memoryMiB);
    }
}
