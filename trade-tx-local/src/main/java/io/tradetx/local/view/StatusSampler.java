package io.tradetx.local.view;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.search.Search;
import io.tradetx.common.kafka.GroupLagReader;
import io.tradetx.local.run.LocalRun;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples one run's (or one tenant's) state for the live view: the lag per partition when asked to read it, and
 * the producer's and consumers' rates averaged over the last seconds.
 */
final class StatusSampler {
    /** Rates are averaged over this window: long enough to smooth 1 s batches, short enough to follow a change. */
    private static final long RATE_WINDOW_NANOS = 3_000_000_000L;

    private final LocalRun.RunContext ctx;
    private final LocalRun.Scaling scaling;
    /** The tag that picks this tenant's consumer meters from a shared registry; null for all meters. */
    private final Tag meterTag;
    /** {nanoTime, acknowledged by the broker, stored by the consumers}. */
    private final ArrayDeque<double[]> samples = new ArrayDeque<>();
    private List<Long> lag = List.of();
    private String lagProblem;

    StatusSampler(LocalRun.RunContext ctx, LocalRun.Scaling scaling, Tag meterTag) {
        this.ctx = ctx;
        this.scaling = scaling;
        this.meterTag = meterTag;
    }

    LocalRun.Scaling scaling() {
        return scaling;
    }

    void readLag() {
        try {
            List<Long> lags = new ArrayList<>();
            for (GroupLagReader.PartitionLag l : ctx.lag().read()) {
                lags.add(l.lag());
            }
            lag = lags;
            lagProblem = null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            lag = List.of();
            lagProblem = e.getMessage();
        }
    }

    LiveStatus snapshot(long elapsedMillis, String note, String logFile) {
        long now = System.nanoTime();
        Search stored = ctx.registry().find("kafka.messages.processed").tag("status", "success");
        if (meterTag != null) {
            stored = stored.tag(meterTag.getKey(), meterTag.getValue());
        }
        double storedCount = stored.counters().stream().mapToDouble(Counter::count).sum();
        samples.addLast(new double[] {now, ctx.producer().acknowledged(), storedCount});
        while (samples.size() > 2 && now - samples.peekFirst()[0] > RATE_WINDOW_NANOS) {
            samples.pollFirst();
        }
        double[] first = samples.peekFirst();
        double seconds = (now - first[0]) / 1e9;
        double producerRate = seconds > 0 ? (ctx.producer().acknowledged() - first[1]) / seconds : 0;
        double consumerRate = seconds > 0 ? (storedCount - first[2]) / seconds : 0;
        return new LiveStatus(elapsedMillis / 1000.0, ctx.kafka().topic(), ctx.kafka().topicPartitions(),
                ctx.consumer().consumerGroup(), scaling.display(elapsedMillis, StatusBlock.EVENT_LINES),
                ctx.pool().podStates(), lag, lagProblem, ctx.producer().rate(), producerRate, consumerRate, note,
                logFile);
    }
}
