package io.tradetx.local.tenant;

import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * The check a tenant run makes before any app starts: each tenant's consumer login cannot describe another
 * tenant's topic, and its KEDA reader cannot read another tenant's lag. A grant that lets either through stops the
 * run; {@code TenantIsolationTest} proves the full list of denials.
 */
final class IsolationProbe {

    /** A tenant's logins for the probe. */
    record Logins(TenantResources resources, KafkaSettings consumer, Admin reader) {
    }

    private IsolationProbe() {
    }

    /** One line per denial seen; throws IllegalStateException when one tenant reaches another's data. */
    static List<String> check(List<Logins> tenants) throws InterruptedException {
        List<String> denials = new java.util.ArrayList<>();
        for (Logins x : tenants) {
            for (Logins y : tenants) {
                if (x == y) {
                    continue;
                }
                String topic = y.resources().topic();
                try (Admin consumer = Admin.create(KafkaClientProperties.admin(x.consumer(), "isolation-probe"))) {
                    denials.add(denied(x.resources().username("consumer"), "describe topic " + topic,
                            () -> consumer.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)));
                }
                denials.add(denied(x.resources().username("keda-reader"), "read the lag of group "
                        + y.resources().group(), () -> new GroupLagReader(x.reader(), topic, y.resources().group())
                        .read()));
            }
        }
        return denials;
    }

    private interface Attempt {
        void run() throws Exception;
    }

    private static String denied(String user, String attempt, Attempt action) throws InterruptedException {
        try {
            action.run();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof AuthorizationException) {
                    return user + " cannot " + attempt + " (" + t.getClass().getSimpleName() + ")";
                }
            }
            throw new IllegalStateException("isolation check: " + user + " trying to " + attempt + " failed with " + e
                    + ", not an authorization error", e);
        }
        throw new IllegalStateException("isolation check: " + user + " could " + attempt
                + ": the ACLs do not keep the tenants apart");
    }
}
