package io.tradetx.local.tenant;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;

/**
 * Creates and deletes ACL bindings through the admin API and returns only once the broker's
 * authorizer answers with the new state, so the next request is judged by the new ACLs.
 */
public final class AclAdmin {
    private AclAdmin() {
    }

    public static void grant(Admin admin, Collection<AclBinding> bindings, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        admin.createAcls(List.copyOf(bindings)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        await(admin, bindings, true, timeout);
    }

    public static void revoke(Admin admin, Collection<AclBinding> bindings, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        admin.deleteAcls(bindings.stream().map(AclBinding::toFilter).toList()).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        await(admin, bindings, false, timeout);
    }

    /** Every ACL binding the broker holds. */
    public static Set<AclBinding> all(Admin admin, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        return new HashSet<>(admin.describeAcls(AclBindingFilter.ANY).values()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /**
     * DescribeAcls is answered from the broker's authorizer, which applies ACLs when it replays the
     * metadata log: once it shows them, they are enforced.
     */
    private static void await(Admin admin, Collection<AclBinding> bindings, boolean present, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Set<AclBinding> now = all(admin, timeout);
            if (bindings.stream().allMatch(b -> now.contains(b) == present)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("ACLs not " + (present ? "applied" : "removed") + " within "
                        + timeout.toMillis() + " ms");
            }
            Thread.sleep(20);
        }
    }
}
