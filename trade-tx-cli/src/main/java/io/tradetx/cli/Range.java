package io.tradetx.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a numeric or duration option, checked by picocli while it parses (with
 * {@code parameterConsumer = RangeCheck.class}); bounds of durations are in seconds. Take the bounds
 * from the settings' named constants where the option sets a setting.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface Range {
    double min();

    /** Unbounded above by default. */
    double max() default Double.POSITIVE_INFINITY;

    /** True: the value must be greater than {@link #min()}, not equal to it. */
    boolean minExclusive() default false;
}
