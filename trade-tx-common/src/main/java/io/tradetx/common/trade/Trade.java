package io.tradetx.common.trade;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One trade transaction as it travels on the topic, keyed by account for per-account ordering. Every
 * instance is valid: the constructor enforces the limits below, which are what every sink can store
 * exactly (the PostgreSQL columns are sized from them), so a trade that exists can always be stored.
 */
public record Trade(
        String accountId,
        String tradeId,
        String symbol,
        TradeType tradeType,
        int quantity,
        BigDecimal price,
        Instant timestamp) {

    /** "ACC" and 4 to 17 ASCII digits (the seed writes ACC1000..ACC9999). */
    public static final int ACCOUNT_ID_MAX_LENGTH = 20;
    /** "TRD" and 6 to 29 ASCII digits (the seed writes TRD100000..TRD999999). */
    public static final int TRADE_ID_MAX_LENGTH = 32;
    /** 1 to 10 of A-Z and '.', e.g. AAPL or BRK.B. */
    public static final int SYMBOL_MAX_LENGTH = 10;
    public static final int QUANTITY_MAX = Integer.MAX_VALUE;
    /** Digits after the decimal point a price may need (trailing zeros do not count). */
    public static final int PRICE_MAX_SCALE = 8;
    /** Digits before the decimal point. */
    public static final int PRICE_MAX_INTEGER_DIGITS = 12;
    public static final Instant TIMESTAMP_MIN = Instant.EPOCH;
    public static final Instant TIMESTAMP_MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private static final Pattern ACCOUNT = Pattern.compile("ACC[0-9]{4,17}");
    private static final Pattern TRADE_ID = Pattern.compile("TRD[0-9]{6,29}");
    private static final Pattern SYMBOL = Pattern.compile("[A-Z.]{1,10}");

    /** BUY or SELL. */
    public enum TradeType {
        BUY,
        SELL
    }

    static final String QUANTITY_RULE = "an integer from 1 to " + QUANTITY_MAX;
    static final String TRADE_TYPE_RULE = "BUY or SELL";
    static final String TIMESTAMP_RULE = "from " + TIMESTAMP_MIN + " to " + TIMESTAMP_MAX;

    /**
     * @throws IllegalArgumentException naming the first invalid field, its value and what is allowed,
     *         e.g. {@code quantity is invalid: 0 (must be an integer from 1 to 2147483647)}
     */
    public Trade {
        String problem = firstNonNull(accountIdProblem(accountId), tradeIdProblem(tradeId), symbolProblem(symbol),
                tradeType == null ? invalid("trade_type", null, TRADE_TYPE_RULE) : null, quantityProblem(quantity),
                priceProblem(price), timestampProblem(timestamp));
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (price.scale() < 0) {
            price = price.setScale(0); // 1E+3 -> 1000: the plain form the JSON and the database hold
        }
    }

    // One check per field, in the order of the JSON form; each returns null or the error.

    static String accountIdProblem(String v) {
        return v != null && ACCOUNT.matcher(v).matches() ? null : invalid("account_id", v, "ACC and 4 to 17 digits");
    }

    static String tradeIdProblem(String v) {
        return v != null && TRADE_ID.matcher(v).matches() ? null : invalid("trade_id", v, "TRD and 6 to 29 digits");
    }

    static String symbolProblem(String v) {
        return v != null && SYMBOL.matcher(v).matches() ? null
                : invalid("symbol", v, "1 to " + SYMBOL_MAX_LENGTH + " of A-Z and '.'");
    }

    static String quantityProblem(int v) {
        return v >= 1 ? null : invalid("quantity", v, QUANTITY_RULE);
    }

    static String priceProblem(BigDecimal v) {
        // long arithmetic: precision - scale overflows an int for 1E+2147483647.
        boolean ok = v != null && v.signum() > 0 && (long) v.precision() - v.scale() <= PRICE_MAX_INTEGER_DIGITS
                && v.stripTrailingZeros().scale() <= PRICE_MAX_SCALE;
        // toString, not toPlainString: 1E-999999999 must not become a billion characters.
        return ok ? null : invalid("price", v, "a number above 0 with at most " + PRICE_MAX_INTEGER_DIGITS
                + " digits before and " + PRICE_MAX_SCALE + " after the decimal point");
    }

    static String timestampProblem(Instant v) {
        return v != null && !v.isBefore(TIMESTAMP_MIN) && !v.isAfter(TIMESTAMP_MAX) ? null
                : invalid("timestamp", v, TIMESTAMP_RULE);
    }

    private static String firstNonNull(String... problems) {
        for (String p : problems) {
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    /** The error for a field: "missing", or the (shortened) value and what is allowed. */
    static String invalid(String field, Object value, String allowed) {
        if (value == null) {
            return field + " is missing";
        }
        String text = value.toString();
        if (text.length() > 40) {
            text = text.substring(0, 40) + "... (" + text.length() + " characters)";
        }
        return field + " is invalid: " + text + " (must be " + allowed + ")";
    }
}
