package io.tradetx.scaling.model;

/**
 * One External AverageValue metric as the HPA reads it from KEDA's metrics server.
 *
 * @param name        a short label for reasons and status ("lag", "rate")
 * @param usageMilli  the metric's value in milli-units
 * @param targetMilli the AverageValue target in milli-units (the trigger's threshold)
 */
public record ExternalMetric(String name, long usageMilli, long targetMilli) {
}
