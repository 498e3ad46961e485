package io.tradetx.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tradetx.common.trade.InvalidTradeException;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The trade's JSON form: round trip, and a clear error for every kind of bad message. */
class TradeJsonTest {
    private static final String GOOD = "{\"account_id\":\"ACC1234\",\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\","
            + "\"trade_type\":\"BUY\",\"quantity\":10,\"price\":123.45,\"timestamp\":\"2026-01-01T00:00:00Z\"}";

    @Test
    void roundTripsTheSeedsFields() throws Exception {
        Trade t = new Trade("ACC1234", "TRD123456", "NVDA", Trade.TradeType.SELL, 999, new BigDecimal("450.10"),
                Instant.parse("2026-01-01T12:00:00.123Z"));
        assertEquals(t, TradeJson.decode(TradeJson.encode(t)));
        assertEquals("{\"account_id\":\"ACC1234\",\"trade_id\":\"TRD123456\",\"symbol\":\"NVDA\",\"trade_type\":\"SELL\","
                + "\"quantity\":999,\"price\":450.10,\"timestamp\":\"2026-01-01T12:00:00.123Z\"}",
                new String(TradeJson.encode(t), StandardCharsets.UTF_8));
        assertEquals("ACC1234", TradeJson.decode(GOOD.getBytes(StandardCharsets.UTF_8)).accountId());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "not json                                 | malformed JSON",
        "[1,2]                                    | not a JSON object",
        "{\"account_id\":\"ACC1234\"}               | trade_id is missing",
        "{\"account_id\":\"X\"}                     | account_id is invalid: X",
        "\"plain string\"                         | not a JSON object",
    })
    void rejectsMalformedMessages(String json, String expected) {
        InvalidTradeException e = assertThrows(InvalidTradeException.class,
                () -> TradeJson.decode(json.getBytes(StandardCharsets.UTF_8)));
        assertEquals(true, e.getMessage().startsWith(expected), e.getMessage());
    }

    @Test
    void rejectsBadFieldValues() {
        assertEquals("quantity is invalid: 0 (must be an integer from 1 to 2147483647)",
                error(GOOD.replace("\"quantity\":10", "\"quantity\":0")));
        assertEquals("trade_type is invalid: HOLD (must be BUY or SELL)", error(GOOD.replace("BUY", "HOLD")));
        assertEquals("timestamp is invalid: yesterday (must be an ISO-8601 date-time such as "
                + "2026-11-28T00:25:48.123456Z, with Z, an offset like +05:30, or no zone for UTC)",
                error(GOOD.replace("2026-01-01T00:00:00Z", "yesterday")));
        assertEquals("price must be a number", error(GOOD.replace("123.45", "\"cheap\"")));
        assertEquals("empty message", error(""));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2026-01-01T00:00:00Z", "2026-11-27T02:56:44.884885571Z", "2024-02-29T23:59:59.5Z",
        "1970-01-01T00:00:00.000001Z", "2026-06-30T12:34:56.123456Z", "2026-01-01T01:00:00+01:00",
        "2026-12-31T23:59:60Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z"})
    void decodesTimestampsAsInstantParseDoes(String timestamp) throws Exception {
        assertEquals(Instant.parse(timestamp),
                TradeJson.decode(GOOD.replace("2026-01-01T00:00:00Z", timestamp).getBytes(StandardCharsets.UTF_8))
                        .timestamp());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00.1234567890Z", "2026-01-01 00:00:00Z", "2026-01-0aT00:00:00Z"})
    void rejectsTimestampsInstantParseRejects(String timestamp) {
        assertEquals(true, error(GOOD.replace("2026-01-01T00:00:00Z", timestamp))
                .startsWith("timestamp is invalid: " + timestamp + " (must be an ISO-8601 date-time"));
    }

    @Test
    void decodesEveryFormOfTheSameTradeAlike() throws Exception {
        String fields = "\"trade_id\":\"TRD123456\",\"symbol\":\"AAPL\",\"trade_type\":\"BUY\",\"quantity\":10,"
                + "\"price\":123.45,\"timestamp\":\"2026-01-01T00:00:00Z\"";
        Trade expected = new Trade("ACC1234", "TRD123456", "AAPL", Trade.TradeType.BUY, 10, new BigDecimal("123.45"),
                Instant.parse("2026-01-01T00:00:00Z"));
        // The plain form takes the fast path; the others only the streaming parser reads.
        for (String json : java.util.List.of(
                "{\"account_id\":\"ACC1234\"," + fields + "}",
                " {\n \"account_id\" : \"ACC1234\" ,\t" + fields.replace(",", " , ") + "\r\n} ",
                "{\"account_id\":\"ACC\\u00312\\u00334\"," + fields + "}",
                "{\"venue\":{\"x\":[1]},\"account_id\":\"ACC1234\"," + fields + "}",
                "{\"account_id\":\"ACC9\",\"account_id\":\"ACC1234\"," + fields + "}")) {
            assertEquals(expected, TradeJson.decode(json.getBytes(StandardCharsets.UTF_8)), json);
        }
    }

    @Test
    void fieldErrorsNameTheFieldTheValueAndWhatIsAllowed() {
        assertEquals("price is invalid: 0.00 (must be a number above 0 with at most 12 digits before and 8 after "
                + "the decimal point)", error(GOOD.replace("123.45", "0.00")));
        assertEquals("symbol is invalid: aapl (must be 1 to 10 of A-Z and '.')", error(GOOD.replace("AAPL", "aapl")));
        assertEquals("trade_id is invalid: TRD12345 (must be TRD and 6 to 29 digits)",
                error(GOOD.replace("TRD123456", "TRD12345")));
        assertEquals("quantity must be an integer", error(GOOD.replace("\"quantity\":10", "\"quantity\":1.5")));
        assertEquals(true, error(GOOD.replace("\"quantity\":10", "\"quantity\":010")).startsWith("malformed JSON"));
        assertEquals(true, error(GOOD + "x").startsWith("malformed JSON"));
    }

    private static String error(String json) {
        return assertThrows(InvalidTradeException.class,
                () -> TradeJson.decode(json.getBytes(StandardCharsets.UTF_8))).getMessage();
    }
}
