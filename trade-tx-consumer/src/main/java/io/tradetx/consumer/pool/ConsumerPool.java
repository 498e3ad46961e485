package io.tradetx.consumer.pool;

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
 * start on Kubernetes), on a thread of its own so that pods created together start together; a removed
 * pod stops through the same graceful path as SIGTERM.
 */
public final class ConsumerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);

    private final ConsumerSettings settings;
    private final MeterRegistry registry;
    private final Function<String, TradeSink> sinks;
    private final Duration startDelay;
    /** Prefix of the pods' names ("" or a tenant's "a-"), and the tags every pod's meters get besides its name. */
    private final String podPrefix;
    private final Tags podTags;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pod-starter");
        t.setDaemon(true);
        return t;
    });
    private final List<Pod> pods = new ArrayList<>();
    private final List<Pod> stopping = new ArrayList<>();
    private final List<Duration> startupTimes = new ArrayList<>();
    private int nextId = 1;
    /** Pods whose clients are being created on their own thread. */
    private final List<Pod> creating = new ArrayList<>();

    /** Where a pod is in its life, as a live view shows it. */
    public enum PodState {
        /** Created, waiting out the start delay (image pull and JVM start on Kubernetes). */
        STARTING,
        /** Its consumer runs but has not joined the group yet. */
        JOINING,
        /** Joined the group: counted as ready, as /ready reports it. */
        READY,
        /** Scaled in: finishing its batch, committing and leaving the group. */
        DRAINING
    }

    /** One consumer instance, possibly still starting. */
    public static final class Pod {
        private final String name;
        private final long createdNanos = System.nanoTime();
        private volatile MicrobatchConsumer consumer;
        private volatile Thread thread;
        private volatile boolean removed;
        /** When the pool first saw it ready; 0 until then. */
        private long readyNanos;

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
        this(settings, registry, sinks, startDelay, "", Tags.empty());
    }

    /** A pool whose pods are named {@code <podPrefix>consumer-N} and whose meters also carry {@code podTags}. */
    public ConsumerPool(ConsumerSettings settings, MeterRegistry registry, Function<String, TradeSink> sinks,
                        Duration startDelay, String podPrefix, Tags podTags) {
        this.settings = settings;
        this.registry = registry;
        this.sinks = sinks;
        this.startDelay = startDelay;
        this.podPrefix = podPrefix;
        this.podTags = podTags;
    }

    /** Sets the number of pods: adds new ones (they start after the delay) or stops the newest. */
    public synchronized void scaleTo(int replicas) {
        while (pods.size() < replicas) {
            Pod pod = new Pod(podPrefix + "consumer-" + nextId++);
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
        return (int) pods.stream().filter(this::observeReady).count();
    }

    /** The state of every pod, the Deployment's first (oldest to newest), then those still draining. */
    public synchronized List<PodState> podStates() {
        List<PodState> states = new ArrayList<>(pods.size() + stopping.size());
        for (Pod pod : pods) {
            states.add(observeReady(pod) ? PodState.READY
                    : pod.consumer == null ? PodState.STARTING : PodState.JOINING);
        }
        for (Pod pod : stopping) {
            if (stillDraining(pod)) {
                states.add(PodState.DRAINING);
            }
        }
        return states;
    }

    /**
     * Time from creation to ready of every pod seen ready so far, in the order they became ready: the pod start a
     * simulation of this run should assume (start delay plus the real group join). Seen at the caller's polls of
     * {@link #readyReplicas} or {@link #podStates}, so up to one poll late.
     */
    public synchronized List<Duration> startupTimes() {
        return List.copyOf(startupTimes);
    }

    private static boolean stillDraining(Pod pod) {
        try {
            return !pod.consumer.awaitClosed(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private boolean observeReady(Pod pod) {
        boolean ready = pod.isReady();
        if (ready && pod.readyNanos == 0) {
            pod.readyNanos = System.nanoTime();
            startupTimes.add(Duration.ofNanos(pod.readyNanos - pod.createdNanos));
        }
        return ready;
    }

    public synchronized List<Pod> pods() {
        return List.copyOf(pods);
    }

    /** After the start delay: the pod gets its own thread, so that pods created together start together. */
    private void startPod(Pod pod) {
        synchronized (this) {
            if (pod.removed) {
                return;
            }
            pod.thread = new Thread(() -> runPod(pod), pod.name());
            creating.add(pod);
        }
        pod.thread.start();
    }

    /**
     * Creates the pod's clients on its own thread (as each Kubernetes pod starts on its own: on a busy machine
     * creating a consumer, a dead-letter producer and the sink takes a while), then runs its consumer loop.
     */
    private void runPod(Pod pod) {
        MicrobatchConsumer consumer;
        try {
            consumer = MicrobatchConsumer.create(settings, "trade-tx-" + pod.name(), sinks.apply(pod.name()),
                    registry, Tags.of("pod", pod.name()).and(podTags));
        } catch (RuntimeException e) {
            synchronized (this) {
                creating.remove(pod);
            }
            throw e;
        }
        synchronized (this) {
            creating.remove(pod);
            pod.consumer = consumer;
            if (pod.removed) {
                // Scaled in while it started: its loop then only closes the clients, and close() waits for it.
                consumer.close();
                stopping.add(pod);
            }
        }
        LOG.info("Pod {} started", pod.name());
        consumer.run();
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

    /** Waits until every stopped pod has finished its drain, including pods stopped while they started. */
    public boolean awaitStopped(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Pod> waiting;
            synchronized (this) {
                waiting = new ArrayList<>(stopping);
                if (waiting.isEmpty() && creating.stream().noneMatch(p -> p.removed)) {
                    return true;
                }
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
            if (waiting.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                // A pod still creating its clients joins `stopping` once it has them.
                Thread.sleep(20);
            }
        }
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
