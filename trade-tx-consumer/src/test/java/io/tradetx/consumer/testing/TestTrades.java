package io.tradetx.consumer.testing;

import io.tradetx.common.kafka.KafkaClientProperties;
import io.tradetx.common.kafka.KafkaSettings;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.consumer.ConsumedTrade;
import io.tradetx.producer.TradeGenerator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Produces keyed trades with sequential unique ids and checks what a sink received. */
public final class TestTrades {
    private TestTrades() {
    }

    /** Sends n trades with ids TRD100000000.. in order and waits for all acknowledgements. */
    public static void produce(KafkaSettings kafka, int n) {
        TradeGenerator generator = new TradeGenerator(42, true);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                KafkaClientProperties.producer(kafka, "test-producer"))) {
            for (int i = 0; i < n; i++) {
                Trade t = generator.next(Instant.now());
                producer.send(new ProducerRecord<>(kafka.topic(), t.accountId(), TradeJson.encode(t)));
            }
            producer.flush();
        }
    }

    public static long sequence(ConsumedTrade t) {
        return Long.parseLong(t.trade().tradeId().substring(3)) - 100_000_000L;
    }

    /** Trade ids that were stored more than once. */
    public static List<String> duplicates(List<ConsumedTrade> trades) {
        Set<String> seen = new HashSet<>();
        List<String> dups = new ArrayList<>();
        for (ConsumedTrade t : trades) {
            if (!seen.add(t.trade().tradeId())) {
                dups.add(t.trade().tradeId());
            }
        }
        return dups;
    }

    /** Accounts whose trades were stored out of send order (first deliveries only). */
    public static List<String> orderViolations(List<ConsumedTrade> trades) {
        Map<String, Long> last = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> violations = new ArrayList<>();
        for (ConsumedTrade t : trades) {
            if (!seen.add(t.trade().tradeId())) {
                continue;
            }
            long seq = sequence(t);
            Long previous = last.put(t.trade().accountId(), seq);
            if (previous != null && previous > seq) {
                violations.add(t.trade().accountId() + ": " + previous + " before " + seq);
            }
        }
        return violations;
    }
}
