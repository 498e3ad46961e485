package io.tradetx.local.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Typed lines of a run with tenants: 'a 1000' for a tenant, a bare rate only when there is one tenant. */
class TenantRateLineTest {
    private static final List<String> TWO = List.of("a", "b");

    @Test
    void aTenantAndARate() {
        assertThat(TenantRateLine.parse("  b   1000 ", TWO)).isEqualTo(new TenantRateLine.Rate("b", 1000));
        assertThat(TenantRateLine.parse("a 0", TWO)).isEqualTo(new TenantRateLine.Rate("a", 0));
        assertThat(TenantRateLine.parse("q", TWO)).isEqualTo(new TenantRateLine.Quit());
        assertThat(TenantRateLine.parse("QUIT", TWO)).isEqualTo(new TenantRateLine.Quit());
        assertThat(TenantRateLine.parse("   ", TWO)).isEqualTo(new TenantRateLine.Blank());
    }

    @Test
    void aBareRateKeepsItsMeaningWithOneTenantOnly() {
        assertThat(TenantRateLine.parse("500", List.of("a"))).isEqualTo(new TenantRateLine.Rate("a", 500));
        assertThat(TenantRateLine.parse("500", TWO)).isEqualTo(
                new TenantRateLine.Invalid("whose rate? type the tenant first, e.g. a 1000"));
    }

    @Test
    void anythingElseSaysWhatToType() {
        assertThat(TenantRateLine.parse("c 10", TWO))
                .isEqualTo(new TenantRateLine.Invalid("no tenant 'c' in this run (a, b)"));
        for (String bad : List.of("a -1", "a 1000001", "a ten", "a 1 2", "fast")) {
            assertThat(TenantRateLine.parse(bad, TWO)).as(bad).isInstanceOf(TenantRateLine.Invalid.class);
        }
        assertThat(((TenantRateLine.Invalid) TenantRateLine.parse("a ten", TWO)).why())
                .contains("type e.g. a 1000 (0 to 1000000 msg/s)");
    }
}
