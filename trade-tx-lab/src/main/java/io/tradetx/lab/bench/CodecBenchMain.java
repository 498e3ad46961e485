package io.tradetx.lab.bench;

import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import io.tradetx.producer.TradeGenerator;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.Arrays;

/**
 * The codec part's child JVM: CPU time per decode and per generate + encode of the producers'
 * messages, median of 7 rounds of 2,000,000 after a 5 s warm-up. Prints
 * {@code BENCH decode_ns=... encode_ns=...}. It calls only TradeJson and TradeGenerator, so the same
 * class measures any build of trade-tx-common.
 */
public final class CodecBenchMain {
    private static final int MESSAGES = 10_000;
    private static final int ROUND = 200;

    private CodecBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        TradeGenerator generator = new TradeGenerator(1, false);
        byte[][] messages = new byte[MESSAGES][];
        for (int i = 0; i < MESSAGES; i++) {
            messages[i] = TradeJson.encode(generator.next(Instant.now()));
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long sink = 0;
        long warm = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < warm) {
            for (byte[] m : messages) {
                sink += TradeJson.decode(m).quantity();
            }
        }
        double[] decode = new double[7];
        double[] encode = new double[7];
        for (int r = 0; r < decode.length; r++) {
            long t0 = cpu.getCurrentThreadCpuTime();
            for (int k = 0; k < ROUND; k++) {
                for (byte[] m : messages) {
                    sink += TradeJson.decode(m).quantity();
                }
            }
            decode[r] = (cpu.getCurrentThreadCpuTime() - t0) / (double) (ROUND * MESSAGES);
            t0 = cpu.getCurrentThreadCpuTime();
            for (int k = 0; k < ROUND * MESSAGES; k++) {
                Trade t = generator.next(Instant.EPOCH);
                sink += TradeJson.encode(t).length;
            }
            encode[r] = (cpu.getCurrentThreadCpuTime() - t0) / (double) (ROUND * MESSAGES);
        }
        Arrays.sort(decode);
        Arrays.sort(encode);
        System.out.printf("BENCH decode_ns=%.0f encode_ns=%.0f checksum=%d%n", decode[3], encode[3], sink % 10);
    }
}
