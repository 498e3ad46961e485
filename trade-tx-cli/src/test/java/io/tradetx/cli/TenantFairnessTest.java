package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradetx.local.TestSpecs;
import io.tradetx.local.tenant.KafkaPermissions;
import io.tradetx.testkit.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./trade-tx local --tenants a,b --scenario fairness --speedup 10} as a user runs it, in its own JVM with
 * its own secured broker: tenant a bursts 10 -> 1000 -> 10 msg/s while b stays at 50 msg/s. Asserts what the run
 * proves: every workload logs in as its tenant with exactly the mapped ACLs, neither tenant's logins reach the other's
 * topic or lag, every log line of a tenant's apps names the tenant, a scaled out and back, and b's p99 message age
 * stayed within max(1 s, 25 %) of its baseline with the same pods throughout. The repository files come from a copy,
 * so a developer's .env does not change the run.
 */
@Tag("runs-alone") // a timing bound: see the root pom
class TenantFairnessTest {
    private static final Pattern B_LINE = Pattern.compile("Scenario fairness, tenant b: 50 msg/s throughout; p99 message"
            + " age ([\\d.]+) s before, ([\\d.]+) s while a scaled out and back .*; pods (\\S+) before, (\\S+) during");
    private static final Pattern A_LINE = Pattern.compile("Scenario fairness, tenant a: 10 -> 1000 -> 10 msg/s; pods"
            + " (\\d+) before, peak (\\d+) \\+\\d+ s after its burst began, back to (\\d+) \\+\\d+ s after");

    @Test
    void tenantBStaysWithinNoiseWhileTenantABurstsScalesOutAndBack(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("repo");
        for (String file : List.of(".env.example", "k8s/scaledobject.yaml", KafkaPermissions.DEFAULT_PATH)) {
            Files.createDirectories(home.resolve(file).getParent());
            Files.copy(TestSpecs.ROOT.resolve(file), home.resolve(file));
        }
        Path log = dir.resolve("local.log");
        long start = System.nanoTime();
        Process run = ChildJvm.start(TradeTxCli.class, List.of("-Xmx512m", "-Dtradetx.home=" + home),
                Map.of("CI", "true"), log, "local", "--tenants", "a,b", "--scenario", "fairness", "--speedup", "10",
                "--metrics-port", "-1");
        boolean finished = run.waitFor(150, TimeUnit.SECONDS);
        if (!finished) {
            run.destroy();
            run.waitFor(30, TimeUnit.SECONDS);
        }
        String out = ChildJvm.output(log);
        assertThat(finished).as(out).isTrue();
        assertThat(run.exitValue()).as(out).isZero();
        System.out.printf("fairness run: %.0f s wall%n", (System.nanoTime() - start) / 1e9);
        out.lines().filter(l -> l.contains("Scenario fairness")).forEach(System.out::println);

        for (String tenant : List.of("a", "b")) {
            String other = tenant.equals("a") ? "b" : "a";
            assertThat(out).contains("ACLs of User:" + tenant + "-consumer", "ACLs of User:" + tenant + "-keda-reader",
                    "auth=scram, sasl_username=" + tenant + "-consumer, sasl_password=<redacted>",
                    "Isolation check: " + tenant + "-consumer cannot describe topic trade-tx-" + other,
                    "Isolation check: " + tenant + "-keda-reader cannot read the lag of group trade-tx-consumer-" + other);
            assertThat(out).as("every line of the tenant's apps names it")
                    .containsPattern("\\[" + tenant + "-producer\\] INFO Sent: \\d+ messages")
                    .containsPattern("\\[" + tenant + "-consumer-1(-worker)?\\] INFO Processing batch of \\d+ messages")
                    .containsPattern("\\[" + tenant + "-keda\\] INFO t=[\\d.]+s KEDA: scaled 0 -> 1");
        }
        assertThat(out).doesNotContain("AuthorizationException:").doesNotContainPattern("(?i)\\bERROR\\b");

        Matcher a = A_LINE.matcher(out);
        assertThat(a.find()).as(out).isTrue();
        int aBefore = Integer.parseInt(a.group(1));
        assertThat(Integer.parseInt(a.group(2))).as("a scaled out").isGreaterThan(aBefore);
        assertThat(Integer.parseInt(a.group(3))).as("and back").isEqualTo(aBefore);

        Matcher b = B_LINE.matcher(out);
        assertThat(b.find()).as(out).isTrue();
        double before = Double.parseDouble(b.group(1));
        double during = Double.parseDouble(b.group(2));
        assertThat(Math.abs(during - before)).as("b's p99 age within max(1 s, 25 %%) of %.2f s", before)
                .isLessThanOrEqualTo(Math.max(1.0, 0.25 * before) + 1e-9);
        assertThat(b.group(3)).as("b's pods: one count before").doesNotContain("..");
        assertThat(b.group(4)).as("b's pods during a's burst: the same").isEqualTo(b.group(3));
        assertThat(out).contains("Scenario fairness: tenant b isolated from a's burst");
    }
}
