package io.tradetx.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradetx.common.kafka.SaslCredentials;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The secured broker's logins: random passwords, and nothing that would break its command line or JAAS lines. */
class BrokerSecurityTest {

    @Test
    void randomPasswordsAreFreshPerLoginAndLongEnough() {
        BrokerSecurity s = BrokerSecurity.withRandomPasswords(List.of("a-consumer", "b-consumer"));
        assertThat(s.admin().username()).isEqualTo("admin");
        assertThat(List.of(s.admin().password(), s.user("a-consumer").password(), s.user("b-consumer").password()))
                .doesNotHaveDuplicates().allMatch(p -> p.length() == 24 && p.matches("[A-Za-z0-9]+"));
        assertThat(s.toString()).doesNotContain(s.user("a-consumer").password());
        assertThatThrownBy(() -> s.user("c-consumer")).hasMessage("No SCRAM user c-consumer on this broker");
    }

    @Test
    void rejectsNamesOrPasswordsThatWouldNeedQuotingAndDuplicateNames() {
        SaslCredentials admin = new SaslCredentials("admin", "secret");
        assertThatThrownBy(() -> new BrokerSecurity(admin, List.of(new SaslCredentials("a", "x,password=y]"))))
                .hasMessageContaining("SCRAM user a: user names and passwords of the local broker must match");
        assertThatThrownBy(() -> new BrokerSecurity(admin, List.of(new SaslCredentials("a b", "secret"))))
                .hasMessageContaining("SCRAM user a b:");
        assertThatThrownBy(() -> new BrokerSecurity(admin, List.of(new SaslCredentials("admin", "other"))))
                .hasMessage("SCRAM user admin is given twice");
    }
}
