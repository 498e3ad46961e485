package io.tradetx.scaling.sim;

import io.tradetx.scaling.ScalingController;
import io.tradetx.scaling.ScalingEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the shared {@link ScalingController} against a simulated topic, consumer Deployment and nodes in event
 * time, one step per second (an hour of load takes milliseconds).
 */
public final class Simulator {

    private Simulator() {
    }

    /** Simulates the whole load profile. */
    public static SimulationResult run(SimulationInput input) {
        ScalingController controller = new ScalingController(input.spec());
        return run(input, new Autoscaler() {
            @Override
            public List<ScalingEvent> tick(long nowMillis, SimulatedCluster cluster) {
                return controller.tick(nowMillis, cluster);
            }

            @Override
            public boolean active() {
                return controller.status().active();
            }
        });
    }

    /** What decides the replicas in a run: KEDA + HPA, or an ideal autoscaler for a lower bound. */
    interface Autoscaler {
        List<ScalingEvent> tick(long nowMillis, SimulatedCluster cluster);

        boolean active();
    }

    static SimulationResult run(SimulationInput input, Autoscaler autoscaler) {
        SimulatedCluster cluster = new SimulatedCluster(input.partitions(), input.pod(), input.protocol(),
                input.initialReplicas(), input.nodes());
        int seconds = input.load().totalSeconds();
        List<TimelineRow> rows = new ArrayList<>(seconds);
        List<Integer> pods = new ArrayList<>(seconds);
        List<ScalingEvent> events = new ArrayList<>();
        for (int t = 0; t < seconds; t++) {
            cluster.setNow(t);
            events.addAll(autoscaler.tick(t * 1000L, cluster));
            long[] flow = cluster.step(t, input.load().rateAt(t));
            rows.add(new TimelineRow(t, flow[0], flow[1], cluster.totalLag(), cluster.replicas(),
                    cluster.readyPods(), autoscaler.active(), cluster.nodePool().nodes()));
            pods.add(cluster.podCount());
        }
        SimulationSummary summary = SimulationSummary.of(rows, pods, cluster.agesAt(seconds),
                input.load().spikeStartSecond(), input.load().spikeEndSecond(), input.spec().kafka().lagThreshold(),
                cluster.nodePool().launches());
        return new SimulationResult(input, rows, events, summary);
    }
}
