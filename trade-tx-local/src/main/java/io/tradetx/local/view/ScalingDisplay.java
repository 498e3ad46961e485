package io.tradetx.local.view;

import java.util.List;

/**
 * What the live view shows of the run's scaling.
 *
 * @param description one line: the ScaledObject and its timing, or the fixed consumer count
 * @param hpaRows     the {@code kubectl get hpa} header and row, empty without autoscaling
 * @param events      the latest KEDA and HPA events, oldest first, as the log prints them
 * @param scenario    the scenario's progress or result, null without a scenario
 */
public record ScalingDisplay(String description, List<String> hpaRows, List<String> events, String scenario) {

    public ScalingDisplay {
        hpaRows = List.copyOf(hpaRows);
        events = List.copyOf(events);
    }
}
