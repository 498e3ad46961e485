package io.tradetx.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.pool.ConsumerPool;
import io.tradetx.consumer.testing.RecordingSink;
import io.tradetx.consumer.testing.TestConsumers;
import io.tradetx.consumer.testing.TestTrades;
import io.tradetx.producer.TradeGenerator;
import io.tradetx.testkit.SharedBroker;
import io.tradetx.testkit.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Malformed messages go to the dead-letter topic with their origin, are counted, and processing goes on. */
@ExtendWith(SharedBroker.class)
class DeadLetterTest {
    /** Kinds of bad input: not JSON, wrong JSON shape, missing fields, bad values. */
    private static final List<String> MALFORMED = List.of(
            "not json at all",
            "",
            "{\"account_id\":\"ACC1234\"",
            "[1,2,3]",
            "{\"account_id\":\"ACC1234\",\"symbol\":\"AAPL\",\"trade_type\":\"BUY\",\"quantity\":5,\"price\":10.5,"
                    + "\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"account_id\":\"ACC1234\",\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\",\"trade_type\":\"HOLD\","
                    + "\"quantity\":5,\"price\":10.5,\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"account_id\":\"ACC1234\",\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\",\"trade_type\":\"BUY\","
                    + "\"quantity\":-5,\"price\":10.5,\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"account_id\":\"ACC1234\",\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\",\"trade_type\":\"BUY\","
                    + "\"quantity\":5,\"price\":\"cheap\",\"timestamp\":\"2026-01-01T00:00:00Z\"}",
            "{\"account_id\":\"ACC1234\",\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\",\"trade_type\":\"BUY\","
                    + "\"quantity\":5,\"price\":10.5,\"timestamp\":\"yesterday\"}",
            "{\"account_id\":\"bob\",\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\",\"trade_type\":\"BUY\","
                    + "\"quantity\":5,\"price\":10.5,\"timestamp\":\"2026-01-01T00:00:00Z\"}");

    @Test
    void thousandMalformedAmongHundredThousandGoToTheDeadLetterTopicAndTheRestIsProcessed() throws Exception {
        KafkaSettings kafka = TestKafka.topic(TestKafka.unique("dlq"), 6);
        String group = TestKafka.unique("g");
        int total = 100_000;
        Set<Integer> badPositions = new HashSet<>();
        TradeGenerator generator = new TradeGenerator(11, true);
        java.util.concurrent.atomic.AtomicInteger failedSends = new java.util.concurrent.atomic.AtomicInteger();
        org.apache.kafka.clients.producer.Callback onAck = (md, e) -> {
            if (e != null) {
                failedSends.incrementAndGet();
            }
        };
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientProperties.producer(kafka, "test-producer"))) {
            for (int i = 0; i < total; i++) {
                if (i % 100 == 37) {
                    badPositions.add(i);
                    byte[] bad = MALFORMED.get((i / 100) % MALFORMED.size()).getBytes(StandardCharsets.UTF_8);
                    producer.send(new ProducerRecord<>(kafka.topic(), "ACC" + (1000 + i % 9000), bad), onAck);
                } else {
                    Trade t = generator.next(Instant.now());
                    producer.send(new ProducerRecord<>(kafka.topic(), t.accountId(), TradeJson.encode(t)), onAck);
                }
            }
            producer.flush();
        }
        assertThat(badPositions).hasSize(1000);
        assertThat(failedSends.get()).as("every message reached the broker").isZero();

        RecordingSink sink = new RecordingSink(Duration.ZERO);
        ConsumerSettings settings = TestConsumers.settings(kafka, group, 1000, Duration.ofMillis(100), Duration.ZERO,
                GroupProtocol.CLASSIC);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ConsumerPool pool = new ConsumerPool(settings, registry, sink::forConsumer, Duration.ZERO);
             Admin admin = TestKafka.admin(kafka)) {
            pool.scaleTo(2);
            GroupLagReader lag = new GroupLagReader(admin, kafka.topic(), group);
            await().atMost(Duration.ofSeconds(50)).pollInterval(Duration.ofMillis(500))
                    .until(() -> GroupLagReader.totalLag(lag.read()) == 0);
            assertThat(pool.pods()).noneMatch(p -> p.consumer().hasFailed());
        }

        List<ConsumedTrade> trades = sink.trades();
        assertThat(trades).hasSize(99_000);
        assertThat(TestTrades.duplicates(trades)).isEmpty();

        String scrape = registry.scrape();
        assertThat(sumOf(scrape, "kafka_messages_processed_total", "status=\"dead_letter\"")).isEqualTo(1000.0);
        assertThat(sumOf(scrape, "kafka_messages_processed_total", "status=\"success\"")).isEqualTo(99_000.0);

        List<ConsumerRecord<byte[], byte[]>> dead = readAll(kafka, settings.deadLetterTopic());
        assertThat(dead).hasSize(1000);
        // One header set, checked against the source record it names.
        ConsumerRecord<byte[], byte[]> first = dead.get(0);
        Map<String, String> headers = new HashMap<>();
        for (Header h : first.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        assertThat(headers.get(DeadLetterPublisher.HEADER_ERROR)).isNotBlank();
        assertThat(headers.get(DeadLetterPublisher.HEADER_TOPIC)).isEqualTo(kafka.topic());
        int partition = Integer.parseInt(headers.get(DeadLetterPublisher.HEADER_PARTITION));
        long offset = Long.parseLong(headers.get(DeadLetterPublisher.HEADER_OFFSET));
        assertThat(Long.parseLong(headers.get(DeadLetterPublisher.HEADER_TIMESTAMP))).isPositive();
        ConsumerRecord<byte[], byte[]> source = readOne(kafka, new TopicPartition(kafka.topic(), partition), offset);
        assertThat(source.value()).isEqualTo(first.value());
        assertThat(source.timestamp()).isEqualTo(Long.parseLong(headers.get(DeadLetterPublisher.HEADER_TIMESTAMP)));
        // Every dead letter names an error; the kinds above give several distinct reasons.
        Set<String> reasons = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
            Header h = r.headers().lastHeader(DeadLetterPublisher.HEADER_ERROR);
            assertThat(h).isNotNull();
            reasons.add(new String(h.value(), StandardCharsets.UTF_8).replaceAll(":.*", ""));
        }
        assertThat(reasons).hasSizeGreaterThanOrEqualTo(5);
    }

    static double sumOf(String scrape, String metric, String label) {
        double sum = 0;
        Matcher m = Pattern.compile("(?m)^" + metric + "\\{([^}]*)\\} (\\S+)$").matcher(scrape);
        boolean found = false;
        while (m.find()) {
            if (m.group(1).contains(label)) {
                sum += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        assertThat(found).as(metric + "{" + label + "} in\n" + scrape).isTrue();
        return sum;
    }

    private static KafkaConsumer<byte[], byte[]> plainConsumer(KafkaSettings kafka) {
        Properties p = KafkaClientProperties.common(kafka, "test-reader");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return new KafkaConsumer<>(p);
    }

    static List<ConsumerRecord<byte[], byte[]>> readAll(KafkaSettings kafka, String topic) {
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = plainConsumer(kafka)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(pi -> new TopicPartition(topic, pi.partition())).toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> end = c.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline && tps.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    static ConsumerRecord<byte[], byte[]> readOne(KafkaSettings kafka, TopicPartition tp, long offset) {
        try (KafkaConsumer<byte[], byte[]> c = plainConsumer(kafka)) {
            c.assign(List.of(tp));
            c.seek(tp, offset);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                    if (r.offset() == offset) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record at " + tp + " offset " + offset);
    }
}
