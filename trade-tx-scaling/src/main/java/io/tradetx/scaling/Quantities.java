package io.tradetx.scaling;

/** Formats values like a Kubernetes DecimalSI resource.Quantity's canonical String(). */
public final class Quantities {

    private static final String[] SUFFIXES = {"m", "", "k", "M", "G", "T", "P", "E"};

    private Quantities() {
    }

    /** A value given in milli-units: {@code 3580813000 -> "3580813"}, {@code 3580813 -> "3580813m"}, 5000000 -> "5k". */
    public static String formatMilli(long milli) {
        if (milli == 0) {
            return "0";
        }
        long mantissa = milli;
        int exponent = 0;  // index into SUFFIXES; 0 is milli
        while (mantissa % 1000 == 0 && exponent < SUFFIXES.length - 1) {
            mantissa /= 1000;
            exponent++;
        }
        return mantissa + SUFFIXES[exponent];
    }

    /** A whole value: 5000 -> "5k", 10000 -> "10k", 100 -> "100", 1500 -> "1500". */
    public static String format(long value) {
        return formatMilli(Math.multiplyExact(value, 1000L));
    }
}
