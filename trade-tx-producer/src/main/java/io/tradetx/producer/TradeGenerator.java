package io.tradetx.producer;

import io.tradetx.common.trade.Trade;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes simulated trades with the seed's value ranges; with unique ids, trade ids are a sequence so
 * a run can account for every message.
 */
public final class TradeGenerator {
    private static final String[] SYMBOLS = {"AAPL", "GOOGL", "MSFT", "AMZN", "TSLA", "META", "NVDA"};
    private static final long UNIQUE_ID_BASE = 100_000_000L;

    private final SplittableRandom random;
    private final boolean uniqueIds;
    private final AtomicLong sequence = new AtomicLong();

    public TradeGenerator(long seed, boolean uniqueIds) {
        this.random = new SplittableRandom(seed);
        this.uniqueIds = uniqueIds;
    }

    public static TradeGenerator random() {
        return new TradeGenerator(System.nanoTime(), false);
    }

    /** The trade id of the n-th (0-based) trade of a unique-id generator. */
    public static String uniqueTradeId(long n) {
        return "TRD" + (UNIQUE_ID_BASE + n);
    }

    public synchronized Trade next(Instant now) {
        String account = "ACC" + random.nextInt(1000, 10_000);
        String tradeId = uniqueIds ? uniqueTradeId(sequence.getAndIncrement())
                : "TRD" + random.nextInt(100_000, 1_000_000);
        BigDecimal price = BigDecimal.valueOf(random.nextInt(5_000, 50_001), 2);
        return new Trade(account, tradeId, SYMBOLS[random.nextInt(SYMBOLS.length)],
                random.nextBoolean() ? Trade.TradeType.BUY : Trade.TradeType.SELL,
                random.nextInt(1, 1001), price, now);
    }
}
