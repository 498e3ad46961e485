package io.tradetx.lab.chaos;

import io.tradetx.producer.TradeGenerator;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Accounts for every message a chaos run produced, from the ledgers written by {@code SINK=ledger}
 * consumers (one file per process, lines "tradeId account partition offset [epochMicros]") and the
 * dead letters read back from the dead-letter topic: lost (acknowledged by the broker, neither stored
 * nor dead-lettered, yet below its partition's committed offset: the group moved past it), pending
 * (neither, but not committed past: still in Kafka for the next owner, which only a run stopped early
 * has), duplicates (stored or dead-lettered more than once), per-account order violations among
 * first stores, and dead letters that should not be there or lack their context.
 */
public final class LedgerCheck {
    private static final long ID_BASE = Long.parseLong(TradeGenerator.uniqueTradeId(0).substring(3));

    /** What the chaos producer sent as message n. */
    enum Kind {
        /** A valid trade: it must be stored. */
        TRADE,
        /** A valid trade the sink refuses: it must be dead-lettered. */
        REFUSED_BY_SINK,
        /** A valid trade padded to near the topic's size limit: stored or dead-lettered. */
        OVERSIZED,
        /** Not a trade at all: it must be dead-lettered. */
        NOT_A_TRADE
    }

    /** The producer's record of each message: its kind and, once acknowledged, where it landed. */
    static final class Produced {
        private final Kind[] kinds;
        private final int[] partitions;
        private final long[] offsets;
        private final BitSet acknowledged = new BitSet();
        private final BitSet failed = new BitSet();

        Produced(int messages) {
            kinds = new Kind[messages];
            partitions = new int[messages];
            offsets = new long[messages];
        }

        void kind(int seq, Kind kind) {
            kinds[seq] = kind;
        }

        synchronized void acknowledged(int seq, int partition, long offset) {
            partitions[seq] = partition;
            offsets[seq] = offset;
            acknowledged.set(seq);
        }

        synchronized void failed(int seq) {
            failed.set(seq);
        }

        synchronized int failedCount() {
            return failed.cardinality();
        }

        int size() {
            return kinds.length;
        }
    }

    /** One record read back from the dead-letter topic: the source coordinates its headers name. */
    record DeadLetter(int partition, long offset, boolean withContext) {
    }

    /** The figures of one check. */
    public record Result(long produced, long expected, long stored, long deadLettered, long distinct, long lost, long pending,
                         long duplicates,
                         long orderViolations, long unexpected, long unreadableLines, long wronglyDeadLettered,
                         long deadLettersWithoutContext, List<Long> lostSample, List<String> violationSample) {
    }

    private record Line(long micros, int file, int line, int seq, String account) {
    }

    private LedgerCheck() {
    }

    /** The sequence number of a trade id made by {@code TradeGenerator(seed, true)}. */
    static long sequence(String tradeId) {
        return Long.parseLong(tradeId.substring(3)) - ID_BASE;
    }

    /** @param committed the group's committed offset per partition at the end (absent: nothing committed) */
    static Result check(List<Path> ledgers, Produced produced, List<DeadLetter> deadLetters,
                        Map<Integer, Long> committed) throws IOException {
        int n = produced.size();
        int[] stored = new int[n];
        int[] dead = new int[n];
        List<Line> lines = new ArrayList<>(n + n / 10);
        long storedLines = 0;
        long unexpected = 0;
        long unreadable = 0;
        for (int f = 0; f < ledgers.size(); f++) {
            if (!Files.exists(ledgers.get(f))) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(ledgers.get(f), StandardCharsets.US_ASCII)) {
                String text;
                int lineNo = 0;
                while ((text = in.readLine()) != null) {
                    lineNo++;
                    String[] parts = text.trim().split(" ");
                    long seq;
                    long micros;
                    try {
                        seq = sequence(parts[0]);
                        micros = parts.length >= 5 ? Long.parseLong(parts[4]) : 0;
                    } catch (RuntimeException e) {
                        unreadable++;
                        continue;
                    }
                    if (parts.length < 4) {
                        unreadable++;
                        continue;
                    }
                    storedLines++;
                    if (seq < 0 || seq >= n) {
                        unexpected++;
                        continue;
                    }
                    stored[(int) seq]++;
                    lines.add(new Line(micros, f, lineNo, (int) seq, parts[1]));
                }
            }
        }
        Map<Long, Integer> byCoordinates = new HashMap<>();
        synchronized (produced) {
            for (int i = produced.acknowledged.nextSetBit(0); i >= 0; i = produced.acknowledged.nextSetBit(i + 1)) {
                byCoordinates.put(coordinates(produced.partitions[i], produced.offsets[i]), i);
            }
        }
        long wrongly = 0;
        long withoutContext = 0;
        for (DeadLetter d : deadLetters) {
            Integer seq = byCoordinates.get(coordinates(d.partition(), d.offset()));
            if (!d.withContext() || seq == null) {
                withoutContext++;
                continue;
            }
            dead[seq]++;
            if (produced.kinds[seq] == Kind.TRADE) {
                wrongly++;
            }
        }
        long lost = 0;
        long pending = 0;
        long distinct = 0;
        long duplicates = 0;
        long expected = 0;
        List<Long> lostSample = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean acked;
            synchronized (produced) {
                acked = produced.acknowledged.get(i);
            }
            int deliveries = stored[i] + dead[i];
            if (acked) {
                expected++;
            }
            if (deliveries == 0) {
                if (acked && produced.offsets[i] < committed.getOrDefault(produced.partitions[i], 0L)) {
                    lost++;
                    if (lostSample.size() < 10) {
                        lostSample.add((long) i);
                    }
                } else if (acked) {
                    pending++;
                }
            } else {
                distinct++;
                duplicates += deliveries - 1;
            }
        }
        List<String> violationSample = new ArrayList<>();
        return new Result(n, expected, storedLines, deadLetters.size(), distinct, lost, pending, duplicates,
                orderViolations(lines, n, violationSample), unexpected, unreadable, wrongly, withoutContext,
                lostSample, violationSample);
    }

    private static long coordinates(int partition, long offset) {
        return ((long) partition << 48) | offset;
    }

    /** Per account, among first stores ordered by write time (then file order), a later trade before an earlier one. */
    private static long orderViolations(List<Line> lines, int n, List<String> sample) {
        lines.sort(Comparator.comparingLong(Line::micros).thenComparingInt(Line::file).thenComparingInt(Line::line));
        BitSet seen = new BitSet(n);
        Map<String, Integer> lastByAccount = new HashMap<>();
        long violations = 0;
        for (Line l : lines) {
            if (seen.get(l.seq())) {
                continue; // a redelivery: only first stores must be in order
            }
            seen.set(l.seq());
            Integer previous = lastByAccount.put(l.account(), l.seq());
            if (previous != null && previous > l.seq()) {
                violations++;
                if (sample.size() < 10) {
                    sample.add(l.account() + ": " + TradeGenerator.uniqueTradeId(previous) + " before "
                            + TradeGenerator.uniqueTradeId(l.seq()));
                }
            }
        }
        return violations;
    }
}
