package io.tradetx.lab.bench;

import io.tradetx.testkit.ChildJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The codec part: CPU time of TradeJson per message, with the full JIT and with the consumer image's
 * flags (C1 only), and what decoding costs a pod at the seed's 100 msg/s.
 */
final class CodecBench {
    private final Bench bench;

    CodecBench(Bench bench) {
        this.bench = bench;
    }

    void run(int repeats) throws Exception {
        BenchResults r = bench.results();
        r.note("codec_decode_ns_per_msg_jit", "CPU time of one TradeJson.decode of a producer's message, full JIT");
        r.note("codec_decode_ns_per_msg_image", "the same with the consumer image's JVM flags (C1 only, serial GC)");
        r.note("codec_encode_ns_per_msg_jit", "CPU time to generate and TradeJson.encode one trade, full JIT");
        r.note("codec_decode_cpu_pct_at_100_msgs", "share of one core decoding takes in a pod at 100 msg/s "
                + "(BATCH_SIZE 100, 1 s per batch), image flags");
        r.remark("Codec: " + CodecBenchMain.class.getSimpleName() + " in a child JVM, 10,000 generated trades, 5 s "
                + "warm-up, median of 7 rounds of 2,000,000 decodes, CPU time of the measuring thread");
        for (int i = 0; i < repeats; i++) {
            Map<String, Double> jit = measure(ChildJvm.POD_FLAGS, "jit");
            Map<String, Double> image = measure(ChildJvm.CONSUMER_POD_FLAGS, "image");
            r.add("codec_decode_ns_per_msg_jit", jit.get("decode_ns"));
            r.add("codec_encode_ns_per_msg_jit", jit.get("encode_ns"));
            r.add("codec_decode_ns_per_msg_image", image.get("decode_ns"));
            r.add("codec_decode_cpu_pct_at_100_msgs", image.get("decode_ns") * 100 / 1e9 * 100);
        }
    }

    private Map<String, Double> measure(List<String> flags, String name) throws Exception {
        Path log = bench.workDir().resolve(bench.unique("codec-" + name) + ".log");
        String out = ChildJvm.await(ChildJvm.start(flags, CodecBenchMain.class.getName(), List.of(), Map.of(), log),
                300, log);
        return Map.of("decode_ns", Bench.field(out, "BENCH ", "decode_ns"),
                "encode_ns", Bench.field(out, "BENCH ", "encode_ns"));
    }
}
