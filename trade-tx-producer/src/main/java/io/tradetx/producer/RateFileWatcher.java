package io.tradetx.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a file holding the target rate (a mounted ConfigMap key in Kubernetes) once a second, so the
 * rate changes without restarting the pod or rebuilding the image.
 */
final class RateFileWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RateFileWatcher.class);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "rate-file-watcher");
        t.setDaemon(true);
        return t;
    });
    private String lastContent;

    RateFileWatcher(Path file, IntConsumer onRate) {
        timer.scheduleWithFixedDelay(() -> poll(file, onRate), 0, 1, TimeUnit.SECONDS);
    }

    private void poll(Path file, IntConsumer onRate) {
        String content;
        try {
            content = Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            LOG.warn("Cannot read rate file {}: {}", file, e.toString());
            return;
        }
        if (content.equals(lastContent)) {
            return;
        }
        lastContent = content;
        try {
            int rate = Integer.parseInt(content);
            if (rate < 0 || rate > ProducerSettings.MAX_MESSAGES_PER_SECOND) {
                throw new NumberFormatException();
            }
            onRate.accept(rate);
        } catch (NumberFormatException e) {
            LOG.error("Rate file {} holds '{}': must be an integer from 0 to {}; keeping the current rate",
                    file, content, ProducerSettings.MAX_MESSAGES_PER_SECOND);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
