package io.tradetx.scaling.spec;

/** How the HPA combines several policies of one direction: the largest change, the smallest, or none. */
public enum SelectPolicy {
    MAX("Max"), MIN("Min"), DISABLED("Disabled");

    private final String yaml;

    SelectPolicy(String yaml) {
        this.yaml = yaml;
    }

    /** The YAML spelling. */
    public String yaml() {
        return yaml;
    }

    /** Parses the YAML spelling, or returns null. */
    public static SelectPolicy fromYaml(String s) {
        for (SelectPolicy p : values()) {
            if (p.yaml.equals(s)) {
                return p;
            }
        }
        return null;
    }
}
