package io.tradetx.local.run;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tradetx.consumer.ConsumerSettings;
import io.tradetx.consumer.MicrobatchConsumer;
import io.tradetx.consumer.sink.TradeSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local stand-in for the consumer Deployment: a set of consumer instances ("pods") in this process
 * that can be scaled at run time. A new pod joins the group after a start delay (image pull and JVM
 * start on Kubernetes); a removed pod stops through the same graceful path as SIGTERM.
 */
public final class ConsumerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);

    private final ConsumerSettings settings;
    private final MeterRegistry registry;
    private final Function<String, TradeSink> sinks;
    private final Duration startDelay;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pod-starter");
        t.setDaemon(true);
        return t;
    });
    private final List<Pod> pods = new ArrayList<>();
    private final List<Pod> stopping = new ArrayList<>();
    private int nextId = 1;

    /** One consumer instance, possibly still starting. */
    public static final class Pod {
        private final String name;
        private final long createdNanos = System.nanoTime();
        private volatile MicrobatchConsumer consumer;
        private volatile Thread thread;
        private volatile boolean removed;

        Pod(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        public boolean isReady() {
            MicrobatchConsumer c = consumer;
            return c != null && c.isReady();
        }

        public MicrobatchConsumer consumer() {
            return consumer;
        }

        public Duration age() {
            return Duration.ofNanos(System.nanoTime() - createdNanos);
        }
    }

    public ConsumerPool(ConsumerSettings settings, MeterRegistry registry, Function<String, TradeSink> sinks,
                        Duration startDelay) {
        this.settings = settings;
        this.registry = registry;
        this.sinks = sinks;
        this.startDelay = startDelay;
    }

    /** Sets the number of pods: adds new ones (they start after the delay) or stops the newest. */
    public synchronized void scaleTo(int replicas) {
        while (pods.size() < replicas) {
            Pod pod = new Pod("consumer-" + nextId++);
            pods.add(pod);
            starter.schedule(() -> startPod(pod), startDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
        while (pods.size() > replicas) {
            Pod pod = pods.remove(pods.size() - 1);
            stopPod(pod);
        }
    }

    public synchronized int replicas() {
        return pods.size();
    }

    public synchronized int readyReplicas() {
        return (int) pods.stream().filter(Pod::isReady).count();
    }

    public synchronized List<Pod> pods() {
        return List.copyOf(pods);
    }

    private void startPod(Pod pod) {
        synchronized (this) {
            if (pod.removed) {
                return;
            }
            MicrobatchConsumer consumer = MicrobatchConsumer.create(settings, "trade-tx-" + pod.name(),
                    sinks.apply(pod.name()), registry, Tags.of("pod", pod.name()));
            Thread thread = new Thread(consumer, pod.name());
            pod.consumer = consumer;
            pod.thread = thread;
            thread.start();
        }
        LOG.info("Pod {} started", pod.name());
    }

    private void stopPod(Pod pod) {
        pod.removed = true;
        MicrobatchConsumer consumer = pod.consumer;
        if (consumer != null) {
            LOG.info("Pod {} stopping (as on SIGTERM): finishing its batch, committing, leaving the group",
                    pod.name());
            consumer.close();
            stopping.add(pod);
        }
    }

    /** Waits until every stopped pod has finished its drain. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Pod> waiting;
        synchronized (this) {
            waiting = new ArrayList<>(stopping);
        }
        for (Pod pod : waiting) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !pod.consumer.awaitClosed(Duration.ofNanos(left))) {
                return false;
            }
            synchronized (this) {
                stopping.remove(pod);
            }
        }
        return true;
    }

    @Override
    public void close() throws InterruptedException {
        scaleTo(0);
        starter.shutdownNow();
        Duration grace = settings.shutdownBudget().gracePeriod();
        if (!awaitStopped(grace)) {
            LOG.warn("Some consumers did not stop within {} s", grace.toSeconds());
        }
    }
}
