package io.tradetx.scaling.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaledObjectParserTest {

    static String resource(String name) {
        try (InputStream in = ScaledObjectParserTest.class.getResourceAsStream("/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String minimal(String specExtra, String metadataExtra) {
        return """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata:
                  name: so
                spec:
                  scaleTargetRef:
                    name: app
                %s  triggers:
                    - type: kafka
                      metadata:
                        bootstrapServers: "localhost:9092"
                        consumerGroup: "g"
                        topic: "t"
                %s""".formatted(specExtra, metadataExtra);
    }

    @Test
    void parsesTheSeedHeadScaledObjectAfterItsTriggerAuthentication() {
        ScaledObjectSpec s = ScaledObjectParser.parse(resource("seed-head-scaledobject.yaml"));
        assertEquals("trade-tx-consumer-scaler", s.name());
        assertEquals("trade-tx-consumer", s.scaleTargetName());
        assertEquals(30_000, s.pollingIntervalMillis());
        assertEquals(300_000, s.cooldownPeriodMillis());
        assertEquals(0, s.minReplicaCount());
        assertEquals(100, s.maxReplicaCount());
        assertEquals(1, s.hpaMinReplicas());
        assertEquals(10_000, s.kafka().lagThreshold());
        assertEquals("tx-trade-workers", s.kafka().consumerGroup());
        assertEquals("keda-msk-iam-auth", s.kafka().authenticationRef());
        assertEquals(Map.of("tls", "enable", "sasl", "oauthbearer", "saslTokenProvider", "aws_msk_iam",
                "awsRegion", "us-east-1"), s.kafka().otherMetadata());
        HpaBehavior b = s.behavior();
        assertEquals(new ScalingRules(60_000, SelectPolicy.MIN, List.of(
                ScalingPolicy.ofSeconds(PolicyType.PODS, 10, 60),
                ScalingPolicy.ofSeconds(PolicyType.PERCENT, 500, 60)), "0.1"), b.scaleUp());
        assertEquals(new ScalingRules(120_000, SelectPolicy.MAX, List.of(
                ScalingPolicy.ofSeconds(PolicyType.PERCENT, 50, 120)), "0.1"), b.scaleDown());
        assertEquals(2, s.warnings().size());
        assertTrue(s.warnings().get(0).startsWith(
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance: ignored"));
    }

    @Test
    void appliesKedaAndKubernetesDefaults() {
        ScaledObjectSpec s = ScaledObjectParser.parse(minimal("""
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown:
                          stabilizationWindowSeconds: 60
                """, ""));
        assertEquals(30_000, s.pollingIntervalMillis());
        assertEquals(300_000, s.cooldownPeriodMillis());
        assertEquals(0, s.initialCooldownPeriodMillis());
        assertEquals(100, s.maxReplicaCount());
        assertEquals(10, s.kafka().lagThreshold());
        assertEquals(0, s.kafka().activationLagThreshold());
        assertEquals(OffsetResetPolicy.LATEST, s.kafka().offsetResetPolicy());
        assertEquals(ScalingRules.defaultScaleUp(), s.behavior().scaleUp());
        assertEquals(new ScalingRules(60_000, SelectPolicy.MAX, ScalingRules.defaultScaleDown().policies(), null),
                s.behavior().scaleDown());
        assertNull(ScaledObjectParser.parse(minimal("", "")).behavior());
    }

    @Test
    void collectsEveryUnknownFieldWithItsPath() {
        ScaledObjectParseException e = assertThrows(ScaledObjectParseException.class,
                () -> ScaledObjectParser.parse(minimal("""
                  pollingIntervl: 30
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleUp:
                          policies:
                            - typ: Pods
                              value: 4
                              periodSeconds: 15
                """, """
                        lagTreshold: "5"
                """)));
        List<String> problems = e.problems();
        assertTrue(problems.contains("spec.pollingIntervl: unknown field"), problems::toString);
        assertTrue(problems.contains(
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].typ: unknown field"),
                problems::toString);
        assertTrue(problems.contains(
                "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.policies[0].type: required"),
                problems::toString);
        assertTrue(problems.contains("spec.triggers[0].metadata.lagTreshold: unknown field"), problems::toString);
        assertTrue(e.getMessage().contains("spec.pollingIntervl: unknown field"));
    }

    @Test
    void rejectsInvalidCombinationsAndValues() {
        ScaledObjectParseException e = assertThrows(ScaledObjectParseException.class,
                () -> ScaledObjectParser.parse(minimal("""
                  minReplicaCount: 5
                  maxReplicaCount: 2
                """, """
                        allowIdleConsumers: "true"
                        limitToPartitionsWithLag: "true"
                        ensureEvenDistributionOfPartitions: "true"
                        lagThreshold: "0"
                        offsetResetPolicy: "oldest"
                """)));
        String all = String.join("\n", e.problems());
        assertTrue(all.contains("spec.minReplicaCount: must not exceed maxReplicaCount"), all);
        assertTrue(all.contains("spec.triggers[0].metadata.limitToPartitionsWithLag: cannot be combined with "
                + "allowIdleConsumers"), all);
        assertTrue(all.contains("spec.triggers[0].metadata.ensureEvenDistributionOfPartitions: cannot be combined "
                + "with limitToPartitionsWithLag"), all);
        assertTrue(all.contains("spec.triggers[0].metadata.lagThreshold: must be greater than 0"), all);
        assertTrue(all.contains("spec.triggers[0].metadata.offsetResetPolicy: must be latest or earliest"), all);
    }

    @Test
    void metadataValuesMustBeStringsAsInKeda() {
        ScaledObjectParseException e = assertThrows(ScaledObjectParseException.class,
                () -> ScaledObjectParser.parse(minimal("", """
                        lagThreshold: 5000
                """)));
        assertEquals(List.of("spec.triggers[0].metadata.lagThreshold: must be a string (quote it: \"5000\")"),
                e.problems());
    }

    @Test
    void onlyAverageValueIsAccepted() {
        String value = minimal("", "").replace("    - type: kafka\n", "    - type: kafka\n      metricType: Value\n");
        ScaledObjectParseException e = assertThrows(ScaledObjectParseException.class,
                () -> ScaledObjectParser.parse(value));
        assertTrue(e.problems().get(0).startsWith("spec.triggers[0].metricType: Value is not supported: the HPA "
                + "would compare the whole lag"), e.problems()::toString);
        String utilization = value.replace("Value", "Utilization");
        assertTrue(assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(utilization))
                .problems().get(0).contains("only for cpu and memory"));
    }

    @Test
    void rejectsBadPoliciesAndSelectPolicy() {
        ScaledObjectParseException e = assertThrows(ScaledObjectParseException.class,
                () -> ScaledObjectParser.parse(minimal("""
                  advanced:
                    horizontalPodAutoscalerConfig:
                      behavior:
                        scaleDown:
                          selectPolicy: Maximum
                          policies:
                            - type: Pod
                              value: 0
                              periodSeconds: 3600
                """, "")));
        String prefix = "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.";
        assertEquals(List.of(
                prefix + "selectPolicy: must be Max, Min or Disabled, was 'Maximum'",
                prefix + "policies[0].type: must be Pods or Percent, was 'Pod'",
                prefix + "policies[0].value: must be between 1 and 2147483647, was 0",
                prefix + "policies[0].periodSeconds: must be between 1 and 1800, was 3600"), e.problems());
    }

    @Test
    void parseAllReturnsEveryScaledObjectAndParseWantsExactlyOne() {
        String two = minimal("", "") + "---\n" + minimal("", "").replace("name: so", "name: other");
        assertEquals(List.of("so", "other"), ScaledObjectParser.parseAll(two).stream()
                .map(ScaledObjectSpec::name).toList());
        assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse(two));
        assertThrows(ScaledObjectParseException.class, () -> ScaledObjectParser.parse("kind: Deployment\n"));
    }

    @Test
    void speedupDividesEveryTimeSettingKeepingFractions() {
        ScaledObjectSpec s = ScaledObjectParser.parse(resource("seed-head-scaledobject.yaml")).withSpeedup(8);
        assertEquals(3_750, s.pollingIntervalMillis());
        assertEquals(37_500, s.cooldownPeriodMillis());
        assertEquals(7_500, s.behavior().scaleUp().stabilizationWindowMillis());
        assertEquals(7_500, s.behavior().scaleUp().policies().get(0).periodMillis());
        assertEquals(15_000, s.behavior().scaleDown().stabilizationWindowMillis());
        assertEquals(15_000, s.behavior().scaleDown().policies().get(0).periodMillis());
        assertEquals(1_875, s.hpaSyncPeriodMillis());
        assertEquals(37_500, s.hpaLegacyDownscaleWindowMillis());
        assertEquals(10_000, s.kafka().lagThreshold());
    }

    @Test
    void writerOutputParsesBackToAnEqualSpec() {
        ScaledObjectSpec seed = ScaledObjectParser.parse(resource("seed-head-scaledobject.yaml"));
        String yaml = ScaledObjectWriter.write(seed);
        assertEquals(seed, ScaledObjectParser.parse(yaml));
        assertTrue(yaml.contains("saslTokenProvider: \"aws_msk_iam\""), yaml);
        ScaledObjectSpec plain = ScaledObjectParser.parse(minimal("", ""));
        assertEquals(plain, ScaledObjectParser.parse(ScaledObjectWriter.write(plain)));
        assertThrows(IllegalArgumentException.class, () -> ScaledObjectWriter.write(seed.withSpeedup(7)));
    }
}
