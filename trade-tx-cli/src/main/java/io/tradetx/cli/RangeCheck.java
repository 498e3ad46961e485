package io.tradetx.cli;

import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.Locale;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Converts an option's value and checks it against the option's {@link Range} while picocli parses, so a
 * bad value stops the command before it runs, with exit code 2 and one line naming the option and the
 * allowed values: {@code Invalid option: --rate must be from 0 to 1000000 (was 2000000)}.
 */
public final class RangeCheck implements CommandLine.IParameterConsumer {
    @Override
    public void consumeParameters(Stack<String> args, ArgSpec arg, CommandSpec command) {
        String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
        if (args.isEmpty()) {
            throw new ParameterException(command.commandLine(), "Missing value for option " + name);
        }
        String raw = args.pop();
        Range range = ((AnnotatedElement) arg.userObject()).getAnnotation(Range.class);
        if (range == null) {
            throw new IllegalStateException(name + " uses RangeCheck without @Range");
        }
        Class<?> type = arg.type();
        boolean duration = type == Duration.class;
        Object value;
        double number;
        try {
            if (duration) {
                Duration d = DurationConverter.parse(raw);
                value = d;
                number = d.toNanos() / 1e9;
            } else if (type == int.class || type == Integer.class) {
                int i = Integer.parseInt(raw.trim());
                value = i;
                number = i;
            } else if (type == long.class || type == Long.class) {
                long l = Long.parseLong(raw.trim());
                value = l;
                number = l;
            } else if (type == double.class || type == Double.class) {
                double d = Double.parseDouble(raw.trim());
                value = d;
                number = d;
            } else {
                throw new IllegalStateException(name + ": @Range on a " + type.getSimpleName());
            }
        } catch (NumberFormatException | CommandLine.TypeConversionException e) {
            throw invalid(command, name, range, duration, raw);
        }
        boolean aboveMin = range.minExclusive() ? number > range.min() : number >= range.min();
        if (!(aboveMin && number <= range.max())) {
            throw invalid(command, name, range, duration, raw);
        }
        arg.setValue(value);
    }

    private static ParameterException invalid(CommandSpec command, String name, Range range, boolean duration,
                                              String raw) {
        return new ParameterException(command.commandLine(),
                "Invalid option: " + name + " must be " + allowed(range, duration) + " (was " + raw + ")");
    }

    /** What the range allows, in words: "from 1 to 50", ">= 0", "> 0", "at least 10s", "from 25s to 3600s". */
    static String allowed(Range r, boolean duration) {
        String unit = duration ? "s" : "";
        if (Double.isInfinite(r.max())) {
            if (r.minExclusive()) {
                return "> " + plain(r.min()) + unit;
            }
            return duration ? "at least " + plain(r.min()) + unit : ">= " + plain(r.min());
        }
        return "from " + plain(r.min()) + unit + " to " + plain(r.max()) + unit;
    }

    private static String plain(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : String.format(Locale.ROOT, "%s", d);
    }
}
