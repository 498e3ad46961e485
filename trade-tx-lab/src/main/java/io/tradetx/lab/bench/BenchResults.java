package io.tradetx.lab.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * The figures of a bench run: every repeat's value per figure, printed as it is measured, then the
 * median with min-max as {@code RESULT name=value}, with the goal a figure is held to, if any.
 */
final class BenchResults {
    /** A goal: its wording for the report and the test of a median against it. */
    record Goal(String text, DoublePredicate met) {
    }

    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final Map<String, Goal> goals = new LinkedHashMap<>();
    private final Map<String, String> notes = new LinkedHashMap<>();
    private final List<String> remarks = new ArrayList<>();

    synchronized void add(String name, double value) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        System.out.println("  " + name + "=" + format(value) + "   (repeat " + values.get(name).size() + ")");
    }

    synchronized void goal(String name, String text, DoublePredicate met) {
        goals.put(name, new Goal(text, met));
    }

    synchronized void note(String name, String text) {
        notes.put(name, text);
    }

    /** A free-text line for the report's notes, e.g. the settings a part used. */
    synchronized void remark(String text) {
        remarks.add(text);
    }

    synchronized Map<String, List<Double>> values() {
        Map<String, List<Double>> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    synchronized Goal goalOf(String name) {
        return goals.get(name);
    }

    synchronized String noteOf(String name) {
        return notes.get(name);
    }

    synchronized List<String> remarks() {
        return List.copyOf(remarks);
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    static double min(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** Prints the final {@code RESULT name=median} lines. */
    synchronized void printResults() {
        values.forEach((name, v) -> System.out.println("RESULT " + name + "=" + format(median(v))));
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a >= 100 || v == Math.rint(v) && a >= 10) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
