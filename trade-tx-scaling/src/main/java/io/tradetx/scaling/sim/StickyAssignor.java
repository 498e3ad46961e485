package io.tradetx.scaling.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Balances partitions over group members moving as few as possible, as sticky assignors do. */
final class StickyAssignor {

    private StickyAssignor() {
    }

    /**
     * The new owner of each partition (a member id, or -1 when there are no members).
     *
     * @param owners  the current owner per partition (-1 for none)
     * @param members member ids in join order
     */
    static int[] assign(int[] owners, List<Integer> members) {
        int partitions = owners.length;
        int[] result = new int[partitions];
        java.util.Arrays.fill(result, -1);
        if (members.isEmpty()) {
            return result;
        }
        int m = members.size();
        int base = partitions / m;
        int extra = partitions % m;
        // The members holding most keep the larger quotas, so fewer partitions move.
        List<Integer> byHolding = new ArrayList<>(members);
        byHolding.sort(Comparator.comparingInt((Integer id) -> -count(owners, id))
                .thenComparingInt(members::indexOf));
        TreeSet<Integer> free = new TreeSet<>();
        int[] quota = new int[m];
        int[] held = new int[m];
        for (int i = 0; i < byHolding.size(); i++) {
            quota[members.indexOf(byHolding.get(i))] = base + (i < extra ? 1 : 0);
        }
        for (int p = 0; p < partitions; p++) {
            int idx = owners[p] < 0 ? -1 : members.indexOf(owners[p]);
            if (idx >= 0 && held[idx] < quota[idx]) {
                result[p] = owners[p];
                held[idx]++;
            } else {
                free.add(p);
            }
        }
        for (int i = 0; i < m; i++) {
            while (held[i] < quota[i]) {
                result[free.pollFirst()] = members.get(i);
                held[i]++;
            }
        }
        return result;
    }

    private static int count(int[] owners, int id) {
        int n = 0;
        for (int o : owners) {
            if (o == id) {
                n++;
            }
        }
        return n;
    }
}
