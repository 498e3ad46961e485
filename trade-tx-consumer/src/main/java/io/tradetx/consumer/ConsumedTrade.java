package io.tradetx.consumer;

import io.tradetx.common.trade.Trade;

/** A decoded trade with the Kafka coordinates it was read from. */
public record ConsumedTrade(String topic, int partition, long offset, long recordTimestampMillis, Trade trade) {
}
