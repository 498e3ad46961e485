package io.tradetx.lab.chaos;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the chaos harness tells its consumers' sinks: a small properties file it rewrites atomically
 * and {@link FaultInjectingSink} reads. {@code sink=down} is an outage; {@code reject_every=N} makes
 * the sink refuse every trade whose sequence number is N-1 modulo N.
 */
record FaultControl(boolean sinkDown, int rejectEvery) {
    /** The consumer process's variable naming the file. */
    static final String ENV = "CHAOS_CONTROL_FILE";
    static final FaultControl NORMAL = new FaultControl(false, 0);

    FaultControl withSinkDown(boolean down) {
        return new FaultControl(down, rejectEvery);
    }

    /** True if the sink refuses the trade with this sequence number. */
    boolean rejects(long sequence) {
        return rejectEvery > 0 && sequence % rejectEvery == rejectEvery - 1;
    }

    void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("sink", sinkDown ? "down" : "up");
        p.setProperty("reject_every", String.valueOf(rejectEvery));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "trade-tx chaos: faults for the consumers' sinks");
        }
        // Atomic, so a sink never reads half a file.
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static FaultControl read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (NoSuchFileException e) {
            return NORMAL;
        }
        return new FaultControl("down".equals(p.getProperty("sink")),
                Integer.parseInt(p.getProperty("reject_every", "0")));
    }
}
