package io.tradetx.scaling.spec;

/** The kind of an HPA scaling policy: a number of pods or a percentage of the current replicas. */
public enum PolicyType {
    PODS("Pods"), PERCENT("Percent");

    private final String yaml;

    PolicyType(String yaml) {
        this.yaml = yaml;
    }

    /** The YAML spelling. */
    public String yaml() {
        return yaml;
    }

    /** Parses the YAML spelling, or returns null. */
    public static PolicyType fromYaml(String s) {
        for (PolicyType t : values()) {
            if (t.yaml.equals(s)) {
                return t;
            }
        }
        return null;
    }
}
