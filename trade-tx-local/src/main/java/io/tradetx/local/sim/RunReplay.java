package io.tradetx.local.sim;

import io.tradetx.local.scale.BurstScenario;
import io.tradetx.local.scale.LocalAutoscaler;
import io.tradetx.protocol.GroupProtocol;
import io.tradetx.scaling.ScalingEvent;
import io.tradetx.scaling.report.SvgChart;
import io.tradetx.scaling.sim.LoadProfile;
import io.tradetx.scaling.sim.PodProfile;
import io.tradetx.scaling.sim.SimulationInput;
import io.tradetx.scaling.sim.SimulationResult;
import io.tradetx.scaling.sim.Simulator;
import io.tradetx.scaling.sim.TimelineRow;
import io.tradetx.scaling.spec.ScaledObjectSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays a local autoscaled run in the simulator, to check that the simulator predicts the real run.
 *
 * <p>A local run at {@code --speedup K} runs {@code spec.withSpeedup(K)} in real time. The simulator steps one
 * second at a time, too coarse for intervals of a fraction of a second, so it runs the very same spec on a clock
 * K times slower: {@code spec.slowedDown(K)} (every time setting back to the file's value, a rate trigger's
 * thresholds divided by K), with every other time stretched by K (the recorded rate changes, the pod's start delay
 * and pause) and every rate divided by K (the producer's, the pod's capacity). Lag counts are unchanged, so the
 * model sees the same inputs at the same moments of the run; its decisions are mapped back by dividing their times
 * by K.
 */
public final class RunReplay {

    private RunReplay() {
    }

    /**
     * One scale-out step: the Deployment went from {@code from} to {@code to} replicas at {@code atSeconds};
     * {@code dueSeconds} is when the KEDA poll or HPA sync that decided it was due (the local autoscaler stamps
     * each cycle with that time although it may run it a little later; the simulator runs them on time).
     */
    public record Step(double atSeconds, double dueSeconds, int from, int to) {
    }

    /**
     * The simulator's input for a local run.
     *
     * @param localSpec          the spec the local run used (already divided by its speedup)
     * @param changes            the producer's rate changes the run recorded
     * @param endMillis          the run's length
     * @param capacity           one pod's messages per (real) second
     * @param startDelaySeconds  the local --start-delay
     * @param pauseSeconds       the rebalance pause of a moved partition (real seconds)
     */
    public static SimulationInput input(ScaledObjectSpec localSpec, List<LocalAutoscaler.RateChange> changes,
                                        long endMillis, int partitions, double capacity, double startDelaySeconds,
                                        double pauseSeconds, GroupProtocol protocol) {
        return input(localSpec, load(changes, endMillis, localSpec.speedup()), partitions, capacity,
                startDelaySeconds, pauseSeconds, protocol);
    }

    /** The same with {@code slowedLoad} already in the slowed-down clock ({@link #load}, {@link #slowedArrivalLoad}). */
    public static SimulationInput input(ScaledObjectSpec localSpec, LoadProfile slowedLoad, int partitions,
                                        double capacity, double startDelaySeconds, double pauseSeconds,
                                        GroupProtocol protocol) {
        double k = localSpec.speedup();
        PodProfile pod = new PodProfile(capacity / k, startDelaySeconds * k, 0, pauseSeconds * k, pauseSeconds * k,
                pauseSeconds * k);
        return new SimulationInput(localSpec.slowedDown(k), slowedLoad, partitions, pod, protocol, 0);
    }

    /** The recorded rates as a load profile in the slowed-down clock: times x k, rates / k. */
    public static LoadProfile load(List<LocalAutoscaler.RateChange> changes, long endMillis, double k) {
        return load(changes, endMillis, k, k);
    }

    /** The recorded target rates of a run in cluster time ({@link #clusterTimeInput}): times x k, rates as set. */
    public static LoadProfile targetLoad(List<LocalAutoscaler.RateChange> changes, long endMillis, double k) {
        return load(changes, endMillis, k, 1);
    }

    private static LoadProfile load(List<LocalAutoscaler.RateChange> changes, long endMillis, double k,
                                    double rateDivisor) {
        List<LoadProfile.Segment> segments = new ArrayList<>();
        long startSim = 0;
        int rate = 0;
        for (int i = 0; i <= changes.size(); i++) {
            long at = i < changes.size() ? changes.get(i).atMillis() : endMillis;
            long sim = Math.round(at * k / 1000.0);
            if (sim > startSim) {
                segments.add(new LoadProfile.Segment(rate / rateDivisor, rate / rateDivisor, (int) (sim - startSim)));
                startSim = sim;
            }
            if (i < changes.size()) {
                rate = changes.get(i).rate();
            }
        }
        return new LoadProfile(segments);
    }

    /**
     * The scale-out steps among {@code events} of a run of {@code spec}, with times divided by {@code k} (1 for a
     * real run).
     */
    public static List<Step> scaleOuts(List<ScalingEvent> events, ScaledObjectSpec spec, double k) {
        List<Step> steps = new ArrayList<>();
        for (ScalingEvent e : events) {
            boolean keda = e.type() == ScalingEvent.Type.KEDA_SCALED_UP;
            if (keda || e.type() == ScalingEvent.Type.HPA_SCALED && e.to() > e.from()) {
                long period = keda ? spec.pollingIntervalMillis() : spec.hpaSyncPeriodMillis();
                long due = e.atMillis() / period * period;
                steps.add(new Step(e.atMillis() / 1000.0 / k, due / 1000.0 / k, e.from(), e.to()));
            }
        }
        return steps;
    }

    /** The real run next to its simulation. */
    public record Comparison(double speedup, long pollingIntervalMillis, int realPeak, int simPeak,
                             List<Step> real, List<Step> simulated,
                             List<LocalAutoscaler.ReplicaSample> realSamples, SimulationResult simulation) {

        /** The largest gap between the i-th scale-out of the real run and of the simulation, in seconds. */
        public double worstStepGapSeconds() {
            double worst = 0;
            for (int i = 0; i < Math.min(real.size(), simulated.size()); i++) {
                worst = Math.max(worst, gap(i));
            }
            return worst;
        }

        /** The gap between the due times of the i-th scale-out of the real run and of the simulation. */
        public double gap(int i) {
            return Math.abs(real.get(i).dueSeconds() - simulated.get(i).dueSeconds());
        }

        /** A text table: peak replicas, then each scale-out step of both runs. */
        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "speedup %.0f, pollingInterval %.2f s (real time)%n", speedup,
                    pollingIntervalMillis / 1000.0));
            b.append(String.format(Locale.ROOT, "peak replicas: real %d, simulated %d%n", realPeak, simPeak));
            b.append(String.format(Locale.ROOT, "%-5s %-16s %-16s %s%n", "step", "real (due)", "simulated", "gap"));
            for (int i = 0; i < Math.max(real.size(), simulated.size()); i++) {
                Step r = i < real.size() ? real.get(i) : null;
                Step s = i < simulated.size() ? simulated.get(i) : null;
                b.append(String.format(Locale.ROOT, "%-5d %-16s %-16s %s%n", i + 1, describe(r), describe(s),
                        r == null || s == null ? "-" : String.format(Locale.ROOT, "%.2f s", gap(i))));
            }
            return b.toString();
        }

        private static String describe(Step s) {
            return s == null ? "-" : String.format(Locale.ROOT, "%d->%d @%.2fs", s.from(), s.to(), s.dueSeconds());
        }

        /** Seconds of the run until at least {@code n} pods were ready, from {@code fromMillis} on; -1 if never. */
        public double realSecondsUntilReady(int n, long fromMillis) {
            for (LocalAutoscaler.ReplicaSample r : realSamples) {
                if (r.atMillis() >= fromMillis && r.ready() >= n) {
                    return r.atMillis() / 1000.0;
                }
            }
            return -1;
        }

        /** The same in the simulation, mapped to the run's clock; -1 if never. */
        public double simSecondsUntilReady(int n, long fromMillis) {
            for (TimelineRow row : simulation.timeline()) {
                if (row.tSeconds() / speedup * 1000 >= fromMillis && row.replicasReady() >= n) {
                    return row.tSeconds() / speedup;
                }
            }
            return -1;
        }

        /**
         * A step chart of replicas over the run's seconds as an .svg file: the real run (wide, blue) against
         * the simulation (dashed, orange).
         */
        public String chart(String title) {
            double[] sim = simulatedReplicas();
            double[] simX = new double[sim.length];
            for (int i = 0; i < sim.length; i++) {
                simX[i] = i / speedup; // one simulated second per 1/speedup s of the run
            }
            double end = Math.max(sim.length / speedup, realSamples.isEmpty() ? 0
                    : realSamples.get(realSamples.size() - 1).atMillis() / 1000.0);
            double[] realX = new double[realSamples.size() + 2];
            double[] realY = new double[realSamples.size() + 2];
            for (int i = 0; i < realSamples.size(); i++) {
                realX[i + 1] = realSamples.get(i).atMillis() / 1000.0;
                realY[i + 1] = realSamples.get(i).replicas();
            }
            realX[realX.length - 1] = end;
            realY[realY.length - 1] = realY[realY.length - 2];
            return SvgChart.titled(title, "replicas").height(320).wholeNumbers().until(end)
                    .xLabel(String.format(Locale.ROOT, "seconds of the local run (speedup %.0f: 1 s here = %.0f s on a"
                            + " cluster)", speedup, speedup))
                    .add(SvgChart.Series.steps("real (local broker, peak " + realPeak + ")", "#1f77b4", realX, realY)
                            .drawn(3, 0.6, null))
                    .add(SvgChart.Series.steps("simulated (peak " + simPeak + ")", "#ff7f0e", simX, sim)
                            .drawn(1.5, 1, "5,3"))
                    .standalone();
        }

        /** Simulated replicas (the Deployment's) per real second slot of width {@code 1/k} s. */
        public double[] simulatedReplicas() {
            return simulation.timeline().stream().mapToDouble(TimelineRow::replicasDesired).toArray();
        }
    }

    /** Simulates a finished local run and pairs it with the real one. */
    public static Comparison compare(LocalAutoscaler real, ScaledObjectSpec localSpec, int partitions, double capacity,
                                     double startDelaySeconds, double pauseSeconds, GroupProtocol protocol) {
        return compare(real, localSpec, input(localSpec, real.rateChanges(), real.lastTickMillis(), partitions,
                capacity, startDelaySeconds, pauseSeconds, protocol));
    }

    /** Simulates {@code in} and pairs it with the real run, whose clock is {@code localSpec.speedup()} times faster. */
    public static Comparison compare(LocalAutoscaler real, ScaledObjectSpec localSpec, SimulationInput in) {
        double k = localSpec.speedup();
        SimulationResult sim = Simulator.run(in);
        return new Comparison(k, localSpec.pollingIntervalMillis(), real.peakReplicas(), sim.summary().peakReplicas(),
                scaleOuts(real.events(), localSpec, 1), scaleOuts(sim.events(), in.spec(), k), real.replicaSamples(), sim);
    }

    /**
     * The simulator's input for a run in cluster time ({@link BurstScenario}: its lag thresholds divided by the
     * speedup k like its times): {@code clusterSpec} as written, on a clock k times slower than the run, with
     * {@code load} in that clock ({@link #arrivalLoad} or {@link #targetLoad}) and pods at their real capacity.
     * Each message of the run stands for k simulated ones, so lag / lagThreshold is the same in both at the same
     * moment; this is what {@code ./trade-tx simulate} runs for that load.
     *
     * @param podStartSeconds a pod's time from creation to ready in the run (real seconds)
     * @param pauseSeconds    the rebalance pause of a moved partition (real seconds)
     */
    public static SimulationInput clusterTimeInput(ScaledObjectSpec clusterSpec, LoadProfile load, double k,
                                                   int partitions, double capacity, double podStartSeconds,
                                                   double pauseSeconds, GroupProtocol protocol) {
        PodProfile pod = new PodProfile(capacity, podStartSeconds * k, 0, pauseSeconds * k, pauseSeconds * k,
                pauseSeconds * k);
        return new SimulationInput(clusterSpec, load, partitions, pod, protocol, 0);
    }

    /** The arrivals of each simulated second (1/k s of the run) times k, as a load profile of one-second segments. */
    public static LoadProfile arrivalLoad(List<BurstScenario.Arrivals> arrivals, long endMillis, double k) {
        return arrivalLoad(arrivals, endMillis, k, k);
    }

    /**
     * The arrivals of each simulated second (1/k s of the run) as they are, for the slowed-down clock of
     * {@link #input}: lag counts unchanged, so a message of the run is a message of the simulation.
     */
    public static LoadProfile slowedArrivalLoad(List<BurstScenario.Arrivals> arrivals, long endMillis, double k) {
        return arrivalLoad(arrivals, endMillis, k, 1);
    }

    private static LoadProfile arrivalLoad(List<BurstScenario.Arrivals> arrivals, long endMillis, double k,
                                           double perMessage) {
        int seconds = (int) Math.ceil(endMillis * k / 1000.0);
        List<LoadProfile.Segment> segments = new ArrayList<>(seconds);
        double before = cumulative(arrivals, 0);
        for (int s = 0; s < seconds; s++) {
            double after = cumulative(arrivals, (s + 1) * 1000.0 / k);
            segments.add(new LoadProfile.Segment((after - before) * perMessage, (after - before) * perMessage, 1));
            before = after;
        }
        return new LoadProfile(segments);
    }

    /** Arrivals by {@code atMillis}: linear between the recorded ticks, none before the first, flat after the last. */
    private static double cumulative(List<BurstScenario.Arrivals> arrivals, double atMillis) {
        BurstScenario.Arrivals previous = null;
        for (BurstScenario.Arrivals a : arrivals) {
            if (a.atMillis() >= atMillis) {
                if (previous == null || a.atMillis() == previous.atMillis()) {
                    return previous == null ? 0 : a.total();
                }
                double f = (atMillis - previous.atMillis()) / (a.atMillis() - previous.atMillis());
                return previous.total() + f * (a.total() - previous.total());
            }
            previous = a;
        }
        return previous == null ? 0 : previous.total();
    }
}
