package io.tradetx.consumer.sink;

import io.tradetx.consumer.ConsumedTrade;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Appends one line per processed trade (trade id, account, partition, offset, write time in epoch
 * microseconds) to a file, after the wrapped sink succeeds: a ledger that survives SIGKILL and lets a
 * chaos run count losses and duplicates, and order first deliveries across several processes' ledgers.
 */
public final class LedgerFileSink implements TradeSink {
    private final TradeSink delegate;
    private final java.nio.channels.FileChannel channel;

    public LedgerFileSink(TradeSink delegate, Path file) throws IOException {
        this.delegate = delegate;
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        this.channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    @Override
    public void write(List<ConsumedTrade> batch) throws Exception {
        delegate.write(batch);
        java.time.Instant now = java.time.Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        StringBuilder sb = new StringBuilder(batch.size() * 56);
        for (ConsumedTrade t : batch) {
            sb.append(t.trade().tradeId()).append(' ').append(t.trade().accountId()).append(' ')
                    .append(t.partition()).append(' ').append(t.offset()).append(' ').append(micros).append('\n');
        }
        // One write per batch: a process kill cannot leave half a line, and the OS keeps it after SIGKILL.
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.US_ASCII));
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }

    @Override
    public void close() throws Exception {
        channel.close();
        delegate.close();
    }
}
