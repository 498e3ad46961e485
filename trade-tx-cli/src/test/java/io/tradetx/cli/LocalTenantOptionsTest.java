package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code trade-tx local --tenants}: option combinations that cannot work stop with exit 2 before a broker starts. */
class LocalTenantOptionsTest {

    @Test
    void optionsThatCannotWorkWithTenantsStopBeforeAnyBroker() {
        assertThat(Cli.run("local", "--tenants", "A,b").exitCode()).isEqualTo(2);
        assertThat(Cli.run("local", "--scenario", "fairness").exitCode()).isEqualTo(2);
        assertThat(Cli.run("local", "--tenants", "a", "--scenario", "fairness").exitCode()).isEqualTo(2);
        assertThat(Cli.run("local", "--tenants", "a,b", "--scenario", "burst").exitCode()).isEqualTo(2);
        assertThat(Cli.run("local", "--tenants", "a,b", "--bootstrap-servers", "localhost:9092").exitCode())
                .isEqualTo(2);
    }
}
