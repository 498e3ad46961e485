package io.tradetx.local.chaos;

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
 * Reads the ledgers written by {@code SINK=ledger} consumers (one file per process, lines
 * "tradeId account partition offset [epochMicros]") and accounts for every produced trade: lost
 * (acknowledged by the broker but in no ledger), duplicates (stored more than once), and per-account
 * order violations among first deliveries (a later trade of an account stored before an earlier one).
 */
public final class LedgerCheck {
    private static final long ID_BASE = Long.parseLong(TradeGenerator.uniqueTradeId(0).substring(3));

    /** The figures of one check. */
    public record Result(long expected, long delivered, long distinct, long lost, long duplicates,
                         long orderViolations, long unexpected, long unreadableLines, List<Long> lostSample,
                         List<String> violationSample) {
    }

    private record Line(long micros, int file, int line, int seq, String account) {
    }

    private LedgerCheck() {
    }

    /**
     * @param produced number of trades sent with sequential ids 0..produced-1
     * @param unacknowledged sequence numbers whose send failed: not counted as lost if missing
     */
    public static Result check(List<Path> ledgers, int produced, BitSet unacknowledged) throws IOException {
        int[] counts = new int[produced];
        List<Line> lines = new ArrayList<>(produced + produced / 10);
        long delivered = 0;
        long unexpected = 0;
        long unreadable = 0;
        for (int f = 0; f < ledgers.size(); f++) {
            Path file = ledgers.get(f);
            if (!Files.exists(file)) {
                continue;
            }
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                String text;
                int n = 0;
                while ((text = in.readLine()) != null) {
                    n++;
                    String[] parts = text.trim().split(" ");
                    if (parts.length < 4 || !parts[0].startsWith("TRD")) {
                        unreadable++;
                        continue;
                    }
                    long seq;
                    long micros;
                    try {
                        seq = Long.parseLong(parts[0].substring(3)) - ID_BASE;
                        micros = parts.length >= 5 ? Long.parseLong(parts[4]) : 0;
                    } catch (NumberFormatException e) {
                        unreadable++;
                        continue;
                    }
                    delivered++;
                    if (seq < 0 || seq >= produced) {
                        unexpected++;
                        continue;
                    }
                    counts[(int) seq]++;
                    lines.add(new Line(micros, f, n, (int) seq, parts[1]));
                }
            }
        }
        long lost = 0;
        long distinct = 0;
        long duplicates = 0;
        List<Long> lostSample = new ArrayList<>();
        for (int i = 0; i < produced; i++) {
            if (counts[i] == 0) {
                if (!unacknowledged.get(i)) {
                    lost++;
                    if (lostSample.size() < 10) {
                        lostSample.add((long) i);
                    }
                }
            } else {
                distinct++;
                duplicates += counts[i] - 1;
            }
        }
        // Global delivery order: write time across processes, then file order within a process.
        lines.sort(Comparator.comparingLong(Line::micros).thenComparingInt(Line::file).thenComparingInt(Line::line));
        BitSet seen = new BitSet(produced);
        Map<String, Integer> lastByAccount = new HashMap<>();
        long violations = 0;
        List<String> violationSample = new ArrayList<>();
        for (Line l : lines) {
            if (seen.get(l.seq())) {
                continue; // a redelivery: only first deliveries must be in order
            }
            seen.set(l.seq());
            Integer previous = lastByAccount.put(l.account(), l.seq());
            if (previous != null && previous > l.seq()) {
                violations++;
                if (violationSample.size() < 10) {
                    violationSample.add(l.account() + ": " + TradeGenerator.uniqueTradeId(previous) + " before "
                            + TradeGenerator.uniqueTradeId(l.seq()));
                }
            }
        }
        return new Result(produced - unacknowledged.cardinality(), delivered, distinct, lost, duplicates, violations,
                unexpected, unreadable, lostSample, violationSample);
    }
}
