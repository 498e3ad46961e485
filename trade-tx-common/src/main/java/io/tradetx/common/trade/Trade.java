package io.tradetx.common.trade;

import java.math.BigDecimal;
import java.time.Instant;

/** One trade transaction as it travels on the topic, keyed by account for per-account ordering. */
public record Trade(
        String accountId,
        String tradeId,
        String symbol,
        TradeType tradeType,
        int quantity,
        BigDecimal price,
        Instant timestamp) {

    /** BUY or SELL. */
    public enum TradeType {
        BUY,
        SELL
    }
}
