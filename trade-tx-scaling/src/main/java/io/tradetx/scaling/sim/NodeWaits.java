package io.tradetx.scaling.sim;

import java.util.HashSet;
import java.util.Set;

/**
 * How long a Deployment's pods waited for a node: from the pod's creation until it was bound (a new node's
 * launch, or a preempted placeholder making room). On warm nodes every figure is 0.
 *
 * @param podsWaited          pods that were not bound in the second they were created
 * @param podSecondsWaiting   the sum over seconds of pods waiting for a node
 * @param longestWaitSeconds  the longest any pod waited (a pod still waiting at the end counts with its wait so far)
 */
public record NodeWaits(int podsWaited, long podSecondsWaiting, long longestWaitSeconds) {

    public static final NodeWaits NONE = new NodeWaits(0, 0, 0);

    /** Counts waits second by second. */
    static final class Counter {
        private final Set<Integer> waited = new HashSet<>();
        private long podSeconds;
        private long longest;

        /** The pod is still waiting at the end of a second, {@code soFar} seconds after its creation. */
        void pending(int podId, long soFar) {
            waited.add(podId);
            podSeconds++;
            longest = Math.max(longest, soFar + 1);
        }

        /** The pod was bound {@code wait} seconds after its creation. */
        void bound(int podId, long wait) {
            if (wait > 0) {
                waited.add(podId);
                longest = Math.max(longest, wait);
            }
        }

        NodeWaits total() {
            return new NodeWaits(waited.size(), podSeconds, longest);
        }
    }
}
