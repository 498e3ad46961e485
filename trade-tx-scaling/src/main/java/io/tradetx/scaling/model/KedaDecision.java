package io.tradetx.scaling.model;

/**
 * What one KEDA polling cycle decided.
 *
 * @param scaleTo the replica count KEDA sets, or -1 when it leaves scaling to the HPA
 * @param reason  why, in a few words
 */
public record KedaDecision(int scaleTo, String reason) {

    static final KedaDecision NONE = new KedaDecision(-1, "");

    /** Whether KEDA changes the replica count. */
    public boolean scales() {
        return scaleTo >= 0;
    }
}
