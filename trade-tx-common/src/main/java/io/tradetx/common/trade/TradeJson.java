package io.tradetx.common.trade;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The trade's JSON form (snake_case, as the seed's producer writes it), written and read with
 * Jackson's streaming API only. Decoding accepts exactly the trades {@link Trade} allows, so every
 * decoded trade can be stored by every sink; anything else is an {@link InvalidTradeException}.
 */
public final class TradeJson {
    // Plain prices (1000, not 1E+3): what the seed's producers write and what the decoder reads back equal.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
    private static final String TIMESTAMP_FORM = "an ISO-8601 date-time such as 2026-11-28T00:25:48.123456Z, "
            + "with Z, an offset like +05:30, or no zone for UTC";

    private TradeJson() {
    }

    public static byte[] encode(Trade t) {
        ByteArrayBuilder out = new ByteArrayBuilder(192);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("account_id", t.accountId());
            g.writeStringField("trade_id", t.tradeId());
            g.writeStringField("symbol", t.symbol());
            g.writeStringField("trade_type", t.tradeType().name());
            g.writeNumberField("quantity", t.quantity());
            g.writeNumberField("price", t.price());
            g.writeStringField("timestamp", t.timestamp().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to memory failed", e); // cannot happen
        }
        return out.toByteArray();
    }

    /**
     * Decodes and validates; any problem, whatever the input, is an InvalidTradeException naming the
     * field, the value and what is allowed. Unknown fields are skipped (newer producers may add some);
     * of a repeated field the last value counts.
     */
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
                    case "quantity" -> quantity = quantity(p, value);
                    case "price" -> {
                        if (value != JsonToken.VALUE_NUMBER_INT && value != JsonToken.VALUE_NUMBER_FLOAT) {
                            throw new InvalidTradeException("price must be a number");
                        }
                        price = p.getDecimalValue();
                    }
                    case "timestamp" -> timestamp = text(p, value, field);
                    default -> p.skipChildren();
                }
            }
            if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidTradeException("trailing content after the JSON object");
            }
        } catch (IOException | IllegalArgumentException | ArithmeticException e) {
            // Jackson reports bad syntax as IOException and a few number forms (e.g. 1e9999999999) as
            // NumberFormatException: all of them are bad input, never a reason to stop the consumer.
            throw new InvalidTradeException("malformed JSON: " + firstLine(e.getMessage()));
        }
        require(Trade.accountIdProblem(account));
        require(Trade.tradeIdProblem(tradeId));
        require(Trade.symbolProblem(symbol));
        Trade.TradeType tradeType = "BUY".equals(type) ? Trade.TradeType.BUY
                : "SELL".equals(type) ? Trade.TradeType.SELL : null;
        if (tradeType == null) {
            throw new InvalidTradeException(Trade.invalid("trade_type", type, Trade.TRADE_TYPE_RULE));
        }
        if (quantity == null) {
            throw new InvalidTradeException(Trade.invalid("quantity", null, Trade.QUANTITY_RULE));
        }
        require(Trade.quantityProblem(quantity));
        require(Trade.priceProblem(price));
        Instant at = timestamp == null ? null : parseTimestamp(timestamp);
        require(Trade.timestampProblem(at));
        return new Trade(account, tradeId, symbol, tradeType, quantity, price, at);
    }

    private static Integer quantity(JsonParser p, JsonToken value) throws IOException, InvalidTradeException {
        if (value != JsonToken.VALUE_NUMBER_INT) {
            throw new InvalidTradeException("quantity must be an integer");
        }
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            throw new InvalidTradeException(Trade.invalid("quantity", p.getText(), Trade.QUANTITY_RULE));
        }
        return p.getIntValue();
    }

    /**
     * An ISO-8601 instant as {@link Instant#parse} reads it (Z or an offset such as +05:30), or the same
     * without a zone, which means UTC: the seed's Python producer writes datetime.utcnow().isoformat(),
     * e.g. 2026-11-28T00:25:48.123456.
     */
    static Instant parseTimestamp(String s) throws InvalidTradeException {
        int t = s.indexOf('T');
        // The time part of an ISO date-time holds Z, + or - only as its zone designator.
        boolean zoned = t < 0 || s.indexOf('Z', t) >= 0 || s.indexOf('+', t) >= 0 || s.indexOf('-', t) >= 0;
        try {
            return Instant.parse(zoned ? s : s + "Z");
        } catch (DateTimeParseException e) {
            throw new InvalidTradeException(Trade.invalid("timestamp", s, TIMESTAMP_FORM));
        }
    }

    private static String text(JsonParser p, JsonToken value, String field) throws IOException, InvalidTradeException {
        if (value != JsonToken.VALUE_STRING) {
            throw new InvalidTradeException(field + " must be a string");
        }
        return p.getText();
    }

    private static void require(String problem) throws InvalidTradeException {
        if (problem != null) {
            throw new InvalidTradeException(problem);
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
