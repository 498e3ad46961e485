package io.tradetx.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import io.tradetx.common.trade.InvalidTradeException;
import io.tradetx.common.trade.Trade;
import io.tradetx.common.trade.TradeJson;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The codec over generated trades: every valid trade round-trips, every input the decoder accepts
 * (including mutated, hostile ones) is a trade the sinks can store exactly, and nothing but an
 * InvalidTradeException ever comes out of the decoder. Also the seed's Python producer's exact form.
 */
class TradeJsonPropertiesTest {
    /** PostgreSQL timestamptz holds 4713 BC to 294276 AD; java.sql.Timestamp must hold it too. */
    private static final Instant POSTGRES_MIN = Instant.parse("-4713-11-24T00:00:00Z");
    private static final Instant POSTGRES_MAX = Instant.parse("+294276-12-31T23:59:59.999999Z");

    @Test
    void everyValidTradeRoundTrips() {
        qt().withExamples(2000).forAll(trades()).checkAssert(t -> {
            Trade back = decode(TradeJson.encode(t));
            assertThat(back).isEqualTo(t);
            assertStorable(back);
        });
    }

    @Test
    void whateverTheInputTheDecoderAcceptsOnlyStorableTrades() {
        Map<String, Integer> outcomes = new TreeMap<>();
        qt().withExamples(10_000).forAll(mutatedMessages()).checkAssert(json -> {
            Trade t;
            try {
                t = TradeJson.decode(json);
            } catch (InvalidTradeException e) {
                assertThat(e.getMessage()).isNotBlank().hasSizeLessThan(400);
                outcomes.merge("rejected: " + e.getMessage().replaceAll("[ :(].*", ""), 1, Integer::sum);
                return; // a clear rejection; any other exception fails the property
            }
            outcomes.merge("accepted", 1, Integer::sum);
            assertStorable(t);
            assertThatCode(() -> assertThat(TradeJson.decode(TradeJson.encode(t))).isEqualTo(t))
                    .doesNotThrowAnyException();
        });
        // The mutations must reach both sides: a generator that only produced garbage would prove nothing.
        int total = outcomes.values().stream().mapToInt(Integer::intValue).sum();
        assertThat(outcomes.getOrDefault("accepted", 0)).as("accepted among %s", outcomes).isGreaterThan(total * 3 / 100);
        assertThat(outcomes.keySet()).as("kinds of rejection").hasSizeGreaterThan(5);
    }

    @Test
    void everyMessageOfTheSeedsPythonProducerIsAccepted() {
        qt().withExamples(3000).forAll(pythonMessages()).checkAssert(m -> {
            Trade t = decode(m.json().getBytes(StandardCharsets.UTF_8));
            // datetime.utcnow().isoformat(): no zone, and UTC by that producer's contract.
            assertThat(t.timestamp()).isEqualTo(LocalDateTime.parse(m.timestamp()).toInstant(ZoneOffset.UTC));
            assertThat(t.price()).isEqualByComparingTo(new BigDecimal(m.price()));
            assertStorable(t);
        });
    }

    @Test
    void offsetsAndZoneLessTimestampsNameTheSameInstant() {
        qt().withExamples(2000).forAll(instants(), offsets()).checkAssert((at, offset) -> {
            try {
                offsetsAndZoneLessTimestampsNameTheSameInstant(at, offset);
            } catch (InvalidTradeException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static void offsetsAndZoneLessTimestampsNameTheSameInstant(Instant at, ZoneOffset offset)
            throws InvalidTradeException {
        Trade base = new Trade("ACC1234", "TRD123456", "AAPL", Trade.TradeType.BUY, 1, BigDecimal.ONE, Instant.EPOCH);
        String withOffset = at.atOffset(offset).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.nnnnnnnnnxxx"));
        String zoneLess = LocalDateTime.ofInstant(at, ZoneOffset.UTC).format(
                DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS"));
        String json = new String(TradeJson.encode(base), StandardCharsets.UTF_8);
        Instant fromOffset = decodeTimestamp(json.replace("1970-01-01T00:00:00Z", withOffset));
        Instant fromZoneLess = decodeTimestamp(json.replace("1970-01-01T00:00:00Z", zoneLess));
        assertThat(fromOffset).isEqualTo(at);
        assertThat(fromZoneLess).isEqualTo(at.truncatedTo(java.time.temporal.ChronoUnit.MICROS));
    }

    private static Instant decodeTimestamp(String json) throws InvalidTradeException {
        return TradeJson.decode(json.getBytes(StandardCharsets.UTF_8)).timestamp();
    }

    /** Decodes input that must be valid: a rejection fails the property with its reason. */
    private static Trade decode(byte[] json) {
        try {
            return TradeJson.decode(json);
        } catch (InvalidTradeException e) {
            throw new AssertionError("rejected " + new String(json, StandardCharsets.UTF_8) + ": " + e.getMessage(), e);
        }
    }

    /**
     * What the sinks can hold, stated from their side: PostgreSQL's columns (see PostgresSink.ddl:
     * varchar sized from the Trade limits, integer, numeric(20,8), timestamptz plus the nano-of-second)
     * and the ledger's space-separated lines.
     */
    static void assertStorable(Trade t) {
        for (String s : List.of(t.accountId(), t.tradeId(), t.symbol(), t.tradeType().name())) {
            assertThat(s).isNotEmpty();
            assertThat(s.chars()).as("printable ASCII without spaces (no NUL for PostgreSQL, one token per ledger field)")
                    .allMatch(c -> c > 0x20 && c < 0x7f);
        }
        assertThat(t.accountId().length()).isLessThanOrEqualTo(Trade.ACCOUNT_ID_MAX_LENGTH);
        assertThat(t.tradeId().length()).isLessThanOrEqualTo(Trade.TRADE_ID_MAX_LENGTH);
        assertThat(t.symbol().length()).isLessThanOrEqualTo(Trade.SYMBOL_MAX_LENGTH);
        assertThat(t.quantity()).isPositive();
        assertThat(t.price().signum()).isPositive();
        BigDecimal stored = t.price().setScale(8, RoundingMode.UNNECESSARY); // throws if numeric(20,8) would round
        assertThat(stored.precision()).isLessThanOrEqualTo(20);
        assertThat(t.timestamp()).isBetween(POSTGRES_MIN, POSTGRES_MAX);
        assertThat(java.sql.Timestamp.from(t.timestamp()).toInstant()).isEqualTo(t.timestamp());
    }

    private static Gen<String> digits(int min, int max) {
        return strings().betweenCodePoints('0', '9').ofLengthBetween(min, max);
    }

    static Gen<Trade> trades() {
        Gen<String> accounts = digits(4, 17).map(d -> "ACC" + d);
        Gen<String> tradeIds = digits(6, 29).map(d -> "TRD" + d);
        Gen<String> symbols = lists().of(arbitrary().pick(List.of("ABCDEFGHIJKLMNOPQRSTUVWXYZ.".split(""))))
                .ofSizeBetween(1, 10).map(chars -> String.join("", chars));
        record Ids(String account, String trade, String symbol, Trade.TradeType type) {
        }
        Gen<Ids> ids = accounts.zip(tradeIds, symbols, arbitrary().enumValues(Trade.TradeType.class), Ids::new);
        return ids.zip(integers().between(1, Integer.MAX_VALUE), prices(), instants(),
                (i, quantity, price, at) -> new Trade(i.account(), i.trade(), i.symbol(), i.type(), quantity, price, at));
    }

    /** Up to 12 digits before and 8 after the point, with extra trailing zeros and negative scales. */
    static Gen<BigDecimal> prices() {
        return integers().between(-4, 8).flatMap(scale -> digits(1, Math.max(1, 12 + scale))
                .zip(integers().between(0, 3), (unscaledDigits, zeros) -> {
                    BigInteger unscaled = new BigInteger(unscaledDigits).max(BigInteger.ONE);
                    return new BigDecimal(unscaled.multiply(BigInteger.TEN.pow(zeros)), scale + zeros);
                })
                .assuming(p -> (long) p.precision() - p.scale() <= 12));
    }

    static Gen<Instant> instants() {
        return longs().between(Trade.TIMESTAMP_MIN.getEpochSecond(), Trade.TIMESTAMP_MAX.getEpochSecond())
                .zip(integers().between(0, 999_999_999), Instant::ofEpochSecond);
    }

    static Gen<ZoneOffset> offsets() {
        return integers().between(-18 * 60, 18 * 60).map(m -> ZoneOffset.ofTotalSeconds(m * 60));
    }

    /** A message as the seed's Python producer writes it (json.dumps of a dict, see the seed facts). */
    record PythonMessage(String json, String timestamp, String price) {
    }

    static Gen<PythonMessage> pythonMessages() {
        Gen<String> symbols = arbitrary().pick("AAPL", "GOOGL", "MSFT", "AMZN", "TSLA", "META", "NVDA");
        // datetime.isoformat() leaves out the fraction when the microsecond is 0.
        Gen<String> timestamps = longs().between(0, 4_102_444_800L).zip(integers().between(0, 999_999),
                integers().between(0, 9), (sec, micros, zeroOneInTen) -> {
                    LocalDateTime t = LocalDateTime.ofEpochSecond(sec, zeroOneInTen == 0 ? 0 : micros * 1000,
                            ZoneOffset.UTC);
                    return t.getNano() == 0 ? t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"))
                            : t.format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS"));
                });
        record Head(int account, int trade, String symbol, String type) {
        }
        Gen<Head> head = integers().between(1000, 9999).zip(integers().between(100_000, 999_999), symbols,
                arbitrary().pick("BUY", "SELL"), Head::new);
        return head.zip(integers().between(1, 1000), integers().between(5000, 50_000), timestamps,
                (h, quantity, cents, timestamp) -> {
                    String price = pythonFloatRepr(cents);
                    String json = "{\"account_id\": \"ACC" + h.account() + "\", \"trade_id\": \"TRD" + h.trade()
                            + "\", \"symbol\": \"" + h.symbol() + "\", \"trade_type\": \"" + h.type()
                            + "\", \"quantity\": " + quantity + ", \"price\": " + price + ", \"timestamp\": \""
                            + timestamp + "\"}";
                    return new PythonMessage(json, timestamp, price);
                });
    }

    /** repr(round(x, 2)) in Python: the shortest form, at least one digit after the point (50.0, 123.4, 99.99). */
    static String pythonFloatRepr(int cents) {
        String s = new BigDecimal(cents).movePointLeft(2).stripTrailingZeros().toPlainString();
        return s.contains(".") ? s : s + ".0";
    }

    /** Valid messages with one or two random mutations: bytes, field values, fields added or removed. */
    static Gen<byte[]> mutatedMessages() {
        return trades().zip(longs().all(), integers().between(1, 2), (t, seed, n) -> {
            Random r = new Random(seed);
            String json = new String(TradeJson.encode(t), StandardCharsets.UTF_8);
            for (int i = 0; i < n; i++) {
                json = mutate(json, r);
            }
            return json.getBytes(StandardCharsets.UTF_8);
        });
    }

    private static final String[] FIELDS = {"account_id", "trade_id", "symbol", "trade_type", "quantity", "price",
        "timestamp"};
    /** Values near every limit and of every JSON type. */
    private static final String[] VALUES = {"null", "true", "{}", "[]", "[1,{\"a\":[]}]", "\"\"", "0", "-1", "1",
        "2147483647", "2147483648", "-2147483648", "9223372036854775808", "1.0", "1e3", "1E+3", "1e-9", "-0.0",
        "0.00000001", "0.000000001", "0.123456780", "999999999999.99999999", "1000000000000", "999999999999.999999999",
        "1e2147483647", "1e-2147483648", "1e99999999999", "123456789012345678901234567890", "\"123.45\"",
        "\"ACC1234\"", "\"ACC123456789012345678\"", "\"ACC\\u0031234\"", "\"ACC12\\u00004\"", "\"ACC１２３４\"",
        "\"TRD123456\"", "\"TRD\"", "\"TRD123456789012345678901234567890\"", "\"BRK.B\"", "\"AAPL \"", "\"AAPLAAPLAAP\"",
        "\"É\"", "\"\\ud800\"", "\"BUY\"", "\"SELL\"", "\"buy\"", "\"HOLD\"", "\"2026-11-28T00:25:48.123456\"",
        "\"2026-11-28T00:25:48\"", "\"2026-11-28T00:25:48+05:30\"", "\"2026-11-28T00:25:48.123456789-02:00\"",
        "\"1970-01-01T00:00:00Z\"", "\"1969-12-31T23:59:59.999999999Z\"", "\"9999-12-31T23:59:59.999999999Z\"",
        "\"9999-12-31T23:59:59.999999999-00:01\"", "\"+10000-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
        "\"-0001-01-01T00:00:00Z\"", "\"2026-02-29T00:00:00Z\"", "\"2026-11-28T24:00:00Z\"", "\"2026-11-28T23:59:60\"",
        "\"2026-11-28T00:25:48z\"", "\"2026-11-28 00:25:48\"", "\"2026-11-28T00:25\"", "\"2026-11-28T00:25:48.Z\"",
        "\"2026-11-28T00:25:48+18:00\"", "\"2026-11-28T00:25:48+19:00\"", "\"2026-11-28T00:25:48+0530\""};
    private static final String SPECIAL = "{}[]\",:\\0123456789.-+eEZT \u0000\u00e9\u20ac\ud83d\ude00";

    static String mutate(String json, Random r) {
        int at = json.isEmpty() ? 0 : r.nextInt(json.length());
        return switch (r.nextInt(10)) {
            case 0 -> json.substring(0, at) + SPECIAL.charAt(r.nextInt(SPECIAL.length())) + json.substring(Math.min(json.length(), at + 1));
            case 1 -> json.substring(0, at) + SPECIAL.charAt(r.nextInt(SPECIAL.length())) + json.substring(at);
            case 2 -> json.substring(0, at) + json.substring(Math.min(json.length(), at + 1 + r.nextInt(8)));
            case 3 -> r.nextBoolean() ? json.substring(0, at) : json + SPECIAL.charAt(r.nextInt(SPECIAL.length()));
            case 8 -> json.replaceFirst("\"" + FIELDS[r.nextInt(FIELDS.length)] + "\":[^,}]*,?", "");
            case 9 -> json.replaceFirst("^\\{", "{\"" + (r.nextBoolean() ? FIELDS[r.nextInt(FIELDS.length)] : "venue")
                    + "\":" + VALUES[r.nextInt(VALUES.length)] + ",");
            default -> replaceValue(json, FIELDS[r.nextInt(FIELDS.length)], VALUES[r.nextInt(VALUES.length)]);
        };
    }

    private static String replaceValue(String json, String field, String value) {
        int key = json.indexOf("\"" + field + "\":");
        if (key < 0) {
            return json;
        }
        int start = key + field.length() + 3;
        int end = nextValueEnd(json, start);
        return end < 0 ? json : json.substring(0, start) + value + json.substring(end);
    }

    private static int nextValueEnd(String s, int from) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == ',' || c == '}')) {
                return i;
            }
        }
        return -1;
    }
}
