package io.tradetx.scaling.sim;

import io.tradetx.scaling.ScalingController;
import io.tradetx.scaling.ScalingEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the shared {@link ScalingController} against a simulated topic and consumer Deployment in event time,
 * one step per second (an hour of load takes milliseconds).
 */
public final class Simulator {

    private Simulator() {
    }

    /** Simulates the whole load profile. */
    public static SimulationResult run(SimulationInput input) {
        SimulatedCluster cluster = new SimulatedCluster(input.partitions(), input.pod(), input.protocol(),
                input.initialReplicas());
        ScalingController controller = new ScalingController(input.spec());
        int seconds = input.load().totalSeconds();
        List<TimelineRow> rows = new ArrayList<>(seconds);
        List<Integer> pods = new ArrayList<>(seconds);
        List<ScalingEvent> events = new ArrayList<>();
        for (int t = 0; t < seconds; t++) {
            cluster.setNow(t);
            events.addAll(controller.tick(t * 1000L, cluster));
            long[] flow = cluster.step(t, input.load().rateAt(t));
            rows.add(new TimelineRow(t, flow[0], flow[1], cluster.totalLag(), cluster.replicas(),
                    cluster.readyPods(), controller.status().active()));
            pods.add(cluster.podCount());
        }
        SimulationSummary summary = SimulationSummary.of(rows, pods, cluster.agesAt(seconds),
                input.load().spikeEndSecond(), input.spec().kafka().lagThreshold());
        return new SimulationResult(input, rows, events, summary);
    }
}
