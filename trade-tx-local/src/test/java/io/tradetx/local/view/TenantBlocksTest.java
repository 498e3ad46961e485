package io.tradetx.local.view;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.consumer.pool.ConsumerPool.PodState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The live view with tenants: one block per tenant under one HPA header, within the terminal's rows. */
class TenantBlocksTest {
    private static final String HEADER = "NAME   REFERENCE   TARGETS";

    private static LiveStatus status(String tenant, int rate, List<String> events) {
        return new LiveStatus(12.34, "trade-tx-" + tenant, 24, "trade-tx-consumer-" + tenant,
                new ScalingDisplay("ScaledObject trade-tx-consumer-scaler at speedup 10", List.of(HEADER,
                        "keda-hpa-x   Deployment/y   " + tenant), events, null),
                List.of(PodState.READY), List.of(3L, 0L), null, rate, rate - 0.4, rate - 10.2, "typed", "/tmp/l.log");
    }

    private static final List<String> EVENTS = List.of("t=1.0s KEDA: scaled 0 -> 1", "t=4.5s HPA: scaled 1 -> 6",
            "t=6.0s HPA: scaled 6 -> 12");

    @Test
    void oneBlockPerTenantUnderOneHpaHeader() {
        List<String> lines = TenantBlocks.render(List.of("a", "b"), List.of(status("a", 1000, EVENTS),
                status("b", 50, List.of())), "fairness: baseline", 100, false, true);
        assertThat(lines.get(0)).startsWith("trade-tx local --tenants a,b   t=12.3s   one broker: SASL/SCRAM logins");
        assertThat(lines.stream().filter(l -> l.endsWith(HEADER))).hasSize(1);
        assertThat(lines).containsSubsequence(
                "TENANT a   trade-tx-a (24 partitions), group trade-tx-consumer-a",
                "           keda-hpa-x   Deployment/y   a",
                "RATES      producer target 1000 msg/s, sending 1000 msg/s; consumers processing 990 msg/s",
                "EVENTS     t=1.0s KEDA: scaled 0 -> 1",
                "TENANT b   trade-tx-b (24 partitions), group trade-tx-consumer-b",
                "           keda-hpa-x   Deployment/y   b",
                "SCENARIO   fairness: baseline", "typed");
        assertThat(lines.get(lines.size() - 1)).startsWith("Type a tenant and a rate + Enter (e.g. a 1000)");
    }

    @Test
    void eventsShrinkSoThatTheBlocksFitTheTerminal() {
        List<LiveStatus> statuses = List.of(status("a", 1000, EVENTS), status("b", 50, EVENTS));
        int fixed = TenantBlocks.render(List.of("a", "b"), statuses, null, 0, false, true).size();
        assertThat(TenantBlocks.render(List.of("a", "b"), statuses, null, 23, false, true)).hasSizeLessThanOrEqualTo(23);
        assertThat(TenantBlocks.render(List.of("a", "b"), statuses, null, fixed + 2, false, true))
                .hasSize(fixed + 2).anyMatch(l -> l.endsWith("t=6.0s HPA: scaled 6 -> 12"))
                .noneMatch(l -> l.endsWith("t=4.5s HPA: scaled 1 -> 6"));
        assertThat(TenantBlocks.render(List.of("a", "b"), statuses, null, 1000, false, false))
                .as("at exit: every event kept, no typing hints").hasSize(fixed - 2 + 2 * StatusBlock.EVENT_LINES);
    }

    @Test
    void aTypedRateNamesTheTenantAndItsDeployCommand() {
        assertThat(TenantBlocks.rateSet("a", 750, 9600))
                .isEqualTo("t=9.6s: tenant a's producer rate set to 750 msg/s (./deploy-producer.sh --tenant a 750)");
    }
}
