package io.tradetx.scaling.model;

/**
 * One call of the prometheus scaler on the ingest rate.
 *
 * @param value       the query's value (msg/s), 0 when the result was empty
 * @param valueMilli  the value in milli-units as the HPA receives it
 * @param active      value &gt; activationThreshold
 * @param samples     how many scraped samples were in the rate window (fewer than 2 gives an empty result)
 */
public record RateReading(double value, long valueMilli, boolean active, int samples) {
}
