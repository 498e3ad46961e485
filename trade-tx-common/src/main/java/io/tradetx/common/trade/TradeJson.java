package io.tradetx.common.trade;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The trade's JSON form (snake_case, as the seed's producer writes it): a hand-written encoder and a
 * streaming decoder that validates every field, because decoding sits on the consumer's hot path.
 */
public final class TradeJson {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern ACCOUNT = Pattern.compile("ACC\\d{4,}");
    private static final Pattern TRADE_ID = Pattern.compile("TRD\\d{6,}");
    private static final Pattern SYMBOL = Pattern.compile("[A-Z.]{1,10}");

    private TradeJson() {
    }

    public static byte[] encode(Trade t) {
        StringBuilder sb = new StringBuilder(192);
        sb.append("{\"account_id\":\"").append(t.accountId())
                .append("\",\"trade_id\":\"").append(t.tradeId())
                .append("\",\"symbol\":\"").append(t.symbol())
                .append("\",\"trade_type\":\"").append(t.tradeType().name())
                .append("\",\"quantity\":").append(t.quantity())
                .append(",\"price\":").append(t.price().toPlainString())
                .append(",\"timestamp\":\"").append(t.timestamp().toString())
                .append("\"}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Decodes and validates; any problem is an InvalidTradeException naming the field. */
    public static Trade decode(byte[] json) throws InvalidTradeException {
        if (json == null || json.length == 0) {
            throw new InvalidTradeException("empty message");
        }
        Trade simple = decodeSimple(json);
        if (simple != null) {
            return simple;
        }
        String account = null;
        String tradeId = null;
        String symbol = null;
        String type = null;
        Integer quantity = null;
        BigDecimal price = null;
        String timestamp = null;
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidTradeException("not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "account_id" -> account = text(p, value, field);
                    case "trade_id" -> tradeId = text(p, value, field);
                    case "symbol" -> symbol = text(p, value, field);
                    case "trade_type" -> type = text(p, value, field);
                    case "quantity" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT) {
                            throw new InvalidTradeException("quantity must be an integer");
                        }
                        quantity = p.getIntValue();
                    }
                    case "price" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                            throw new InvalidTradeException("price must be a number");
                        }
                        price = p.getDecimalValue();
                    }
                    case "timestamp" -> timestamp = text(p, value, field);
                    default -> p.skipChildren(); // newer producers may add fields
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidTradeException("trailing content after the JSON object");
            }
        } catch (IOException e) {
            throw new InvalidTradeException("malformed JSON: " + firstLine(e.getMessage()));
        }
        require(account != null && ACCOUNT.matcher(account).matches(), "account_id", account);
        require(tradeId != null && TRADE_ID.matcher(tradeId).matches(), "trade_id", tradeId);
        require(symbol != null && SYMBOL.matcher(symbol).matches(), "symbol", symbol);
        require("BUY".equals(type) || "SELL".equals(type), "trade_type", type);
        require(quantity != null && quantity > 0, "quantity", quantity);
        require(price != null && price.signum() > 0, "price", price);
        Instant at;
        try {
            at = timestamp == null ? null : parseInstant(timestamp);
        } catch (DateTimeParseException e) {
            at = null;
        }
        require(at != null, "timestamp", timestamp);
        return new Trade(account, tradeId, symbol, Trade.TradeType.valueOf(type), quantity, price, at);
    }

    private static final byte[][] FIELDS = {ascii("account_id"), ascii("trade_id"), ascii("symbol"),
        ascii("trade_type"), ascii("quantity"), ascii("price"), ascii("timestamp")};

    /**
     * The fast path of {@link #decode}: a valid trade in the plain form producers write (ASCII strings
     * without escapes, the seven known fields, plain numbers) is read straight from the bytes, several
     * times faster than the streaming parser. Anything else, including every invalid message, returns
     * null and goes through the streaming parser, so results and error messages are exactly as before.
     */
    private static Trade decodeSimple(byte[] b) {
        int n = b.length;
        int i = skipWhitespace(b, 0);
        if (i >= n || b[i] != '{') {
            return null;
        }
        String[] text = new String[7];
        int quantity = 0;
        BigDecimal price = null;
        i = skipWhitespace(b, i + 1);
        while (true) {
            if (i >= n || b[i] != '"') {
                return null;
            }
            int keyEnd = plainStringEnd(b, i + 1);
            if (keyEnd < 0) {
                return null;
            }
            int field = field(b, i + 1, keyEnd);
            i = skipWhitespace(b, keyEnd + 1);
            if (field < 0 || i >= n || b[i] != ':') {
                return null;
            }
            i = skipWhitespace(b, i + 1);
            if (i >= n) {
                return null;
            }
            if (field == 4 || field == 5) { // quantity, price: digits [. digits]
                int start = i;
                while (i < n && b[i] >= '0' && b[i] <= '9') {
                    i++;
                }
                int intDigits = i - start;
                boolean fraction = i < n && b[i] == '.';
                if (fraction) {
                    int dot = ++i;
                    while (i < n && b[i] >= '0' && b[i] <= '9') {
                        i++;
                    }
                    if (i == dot) {
                        return null;
                    }
                }
                if (intDigits == 0 || (b[start] == '0' && intDigits > 1) || (i < n && (b[i] == 'e' || b[i] == 'E'))) {
                    return null;
                }
                if (field == 4) {
                    if (fraction || intDigits > 9) {
                        return null;
                    }
                    quantity = digits(b, start, i);
                } else {
                    price = new BigDecimal(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
                }
            } else {
                if (b[i] != '"') {
                    return null;
                }
                int end = plainStringEnd(b, i + 1);
                if (end < 0) {
                    return null;
                }
                text[field] = new String(b, i + 1, end - i - 1, StandardCharsets.ISO_8859_1);
                i = end + 1;
            }
            i = skipWhitespace(b, i);
            if (i < n && b[i] == ',') {
                i = skipWhitespace(b, i + 1);
            } else if (i < n && b[i] == '}') {
                break;
            } else {
                return null;
            }
        }
        if (skipWhitespace(b, i + 1) != n) {
            return null;
        }
        String account = text[0];
        String tradeId = text[1];
        String symbol = text[2];
        String type = text[3];
        String timestamp = text[6];
        if (!prefixedDigits(account, "ACC", 4) || !prefixedDigits(tradeId, "TRD", 6) || !isSymbol(symbol)
                || !("BUY".equals(type) || "SELL".equals(type)) || quantity <= 0 || price == null
                || price.signum() <= 0 || timestamp == null) {
            return null;
        }
        Instant at;
        try {
            at = parseInstant(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
        return new Trade(account, tradeId, symbol, type.equals("BUY") ? Trade.TradeType.BUY : Trade.TradeType.SELL,
                quantity, price, at);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static int skipWhitespace(byte[] b, int i) {
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The index of the closing quote of a string without escapes or non-ASCII bytes, else -1. */
    private static int plainStringEnd(byte[] b, int i) {
        for (; i < b.length; i++) {
            byte c = b[i];
            if (c == '"') {
                return i;
            }
            if (c == '\\' || c < 0x20) { // escape, control character, or (negative) a non-ASCII byte
                return -1;
            }
        }
        return -1;
    }

    private static int field(byte[] b, int from, int to) {
        for (int f = 0; f < FIELDS.length; f++) {
            if (java.util.Arrays.equals(b, from, to, FIELDS[f], 0, FIELDS[f].length)) {
                return f;
            }
        }
        return -1;
    }

    private static int digits(byte[] b, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    /** The same test as the patterns ACC\d{4,} and TRD\d{6,}. */
    private static boolean prefixedDigits(String s, String prefix, int minDigits) {
        if (s == null || s.length() < prefix.length() + minDigits || !s.startsWith(prefix)) {
            return false;
        }
        for (int i = prefix.length(); i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The same test as the pattern [A-Z.]{1,10}. */
    private static boolean isSymbol(String s) {
        if (s == null || s.isEmpty() || s.length() > 10) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 'A' || c > 'Z') && c != '.') {
                return false;
            }
        }
        return true;
    }

    /**
     * Instant.parse, with a fast path for the form Instant.toString() writes (yyyy-MM-ddTHH:mm:ss[.f]Z,
     * 1-9 fraction digits): Instant.parse costs microseconds per call, more than the rest of decoding.
     * Anything else (offsets, leap seconds, invalid dates) goes to Instant.parse and behaves as before.
     */
    static Instant parseInstant(String s) {
        int n = s.length();
        if (n >= 20 && n <= 30 && n != 21 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T'
                && s.charAt(13) == ':' && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z'
                && (n == 20 || s.charAt(19) == '.')) {
            int year = digits(s, 0, 4);
            int month = digits(s, 5, 7);
            int day = digits(s, 8, 10);
            int hour = digits(s, 11, 13);
            int minute = digits(s, 14, 16);
            int second = digits(s, 17, 19);
            int nanos = 0;
            if (n > 20) {
                int fraction = digits(s, 20, n - 1);
                nanos = fraction < 0 ? -1 : fraction * POWERS_OF_TEN[30 - n];
            }
            if (year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour >= 0 && hour <= 23
                    && minute >= 0 && minute <= 59 && second >= 0 && second <= 59 && nanos >= 0
                    && day <= java.time.YearMonth.of(year, month).lengthOfMonth()) {
                long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
                return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second, nanos);
            }
        }
        return Instant.parse(s);
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000,
        100_000_000};

    /** The decimal number in s[from, to), or -1 if any character is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String text(JsonParser p, JsonToken value, String field) throws IOException, InvalidTradeException {
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidTradeException(field + " must be a string");
        }
        return p.getText();
    }

    private static void require(boolean ok, String field, Object value) throws InvalidTradeException {
        if (!ok) {
            throw new InvalidTradeException(value == null ? field + " is missing" : field + " is invalid: " + value);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
