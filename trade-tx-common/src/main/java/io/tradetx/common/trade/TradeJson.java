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
