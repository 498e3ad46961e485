package io.tradetx.scaling.model;

/**
 * The group's committed offset and the log-end offset of one partition of the topic.
 *
 * @param committed the committed offset, or {@link #NONE} (-1) when the group has none
 */
public record PartitionOffsets(int partition, long committed, long logEnd) {

    /** What the admin API reports for a partition without a committed offset. */
    public static final long NONE = -1;
}
