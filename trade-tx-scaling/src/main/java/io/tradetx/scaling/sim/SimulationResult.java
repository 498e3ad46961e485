package io.tradetx.scaling.sim;

import io.tradetx.scaling.ScalingEvent;
import java.util.List;

/** A simulation run: its input, one row per second, the autoscaler's events and the summary. */
public record SimulationResult(SimulationInput input, List<TimelineRow> timeline, List<ScalingEvent> events,
                               SimulationSummary summary) {

    public SimulationResult {
        timeline = List.copyOf(timeline);
        events = List.copyOf(events);
    }
}
