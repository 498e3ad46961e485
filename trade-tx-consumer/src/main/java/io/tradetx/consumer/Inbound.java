package io.tradetx.consumer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A fetched record on its way into a batch, with the heap it holds. A record larger than
 * MAX_RECORD_BYTES is cut down at once to the first {@link #KEPT_BYTES} of its value (source headers
 * dropped, key kept only if that small too) and goes to the dead-letter topic without decoding; an
 * unreadable record is a marker carrying whatever bytes Kafka could give.
 *
 * @param rejection why the record goes to the dead-letter topic undecoded; null if it is decoded
 * @param sourceBytes the record's size in the topic: key + value + headers
 * @param heapBytes what this entry keeps on the heap, for the buffer's byte bound
 * @param truncated the value (and key, headers) were cut: the dead letter says so
 */
record Inbound(ConsumerRecord<String, byte[]> record, String rejection, long sourceBytes, long heapBytes,
               boolean truncated, long arrivedNanos) {
    /** What an oversized record keeps of its value (and key) for the dead letter. */
    static final int KEPT_BYTES = 1024;
    /** Objects around each record (ConsumerRecord, headers, String, this entry), roughly. */
    static final int OVERHEAD_BYTES = 200;

    static Inbound of(ConsumerRecord<String, byte[]> r, int maxRecordBytes, long now) {
        long size = sizeOf(r);
        if (size <= maxRecordBytes) {
            return new Inbound(r, null, size, size + OVERHEAD_BYTES, false, now);
        }
        byte[] value = r.value() == null ? null : Arrays.copyOf(r.value(), Math.min(KEPT_BYTES, r.value().length));
        String key = r.key() != null && r.key().length() <= KEPT_BYTES ? r.key() : null;
        ConsumerRecord<String, byte[]> cut = new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.timestamp(),
                r.timestampType(), r.serializedKeySize(), r.serializedValueSize(), key, value, new RecordHeaders(),
                r.leaderEpoch());
        long kept = (value == null ? 0 : value.length) + (key == null ? 0 : key.length()) + OVERHEAD_BYTES;
        return new Inbound(cut, "record of " + size + " bytes exceeds MAX_RECORD_BYTES=" + maxRecordBytes, size, kept,
                true, now);
    }

    static List<Inbound> all(List<ConsumerRecord<String, byte[]>> records, int maxRecordBytes) {
        long now = System.nanoTime();
        List<Inbound> out = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> r : records) {
            out.add(of(r, maxRecordBytes, now));
        }
        return out;
    }

    /**
     * A record poll() could not return. With {@code bytes} (a deserialization failure) its key and
     * value travel to the dead-letter topic, cut like an oversized record; without, only a marker.
     */
    static Inbound unreadable(TopicPartition tp, long offset, long timestamp, ByteBuffer key, ByteBuffer value,
                              String error, long now) {
        byte[] v = prefix(value);
        byte[] k = prefix(key);
        ConsumerRecord<String, byte[]> marker = new ConsumerRecord<>(tp.topic(), tp.partition(), offset, timestamp,
                TimestampType.NO_TIMESTAMP_TYPE, k == null ? -1 : k.length, v == null ? -1 : v.length,
                k == null ? null : new String(k, StandardCharsets.UTF_8), v, new RecordHeaders(), Optional.empty());
        long size = (key == null ? 0 : key.remaining()) + (value == null ? 0 : value.remaining());
        long kept = (v == null ? 0 : v.length) + (k == null ? 0 : k.length) + OVERHEAD_BYTES;
        boolean cut = value == null || value.remaining() > KEPT_BYTES || key != null && key.remaining() > KEPT_BYTES;
        return new Inbound(marker, "unreadable record: " + error, size, kept, cut, now);
    }

    private static byte[] prefix(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        ByteBuffer copy = b.duplicate();
        byte[] out = new byte[Math.min(KEPT_BYTES, copy.remaining())];
        copy.get(out);
        return out;
    }

    /** The record's size as stored in the topic, near enough: key, value and headers. */
    static long sizeOf(ConsumerRecord<String, byte[]> r) {
        // Records built by hand (tests, MockConsumer) say -1 for "unknown": count what they hold.
        long key = r.serializedKeySize() >= 0 ? r.serializedKeySize() : r.key() == null ? 0 : r.key().length();
        long value = r.serializedValueSize() >= 0 ? r.serializedValueSize() : r.value() == null ? 0 : r.value().length;
        long size = key + value;
        for (Header h : r.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    TopicPartition topicPartition() {
        return new TopicPartition(record.topic(), record.partition());
    }
}
