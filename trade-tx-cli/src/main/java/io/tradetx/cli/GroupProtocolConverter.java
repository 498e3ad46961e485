package io.tradetx.cli;

import io.tradetx.protocol.GroupProtocol;
import picocli.CommandLine;

/** Converts --protocol values: classic (or cooperative, cooperative-sticky), consumer, eager; an error lists them. */
public final class GroupProtocolConverter implements CommandLine.ITypeConverter<GroupProtocol> {
    @Override
    public GroupProtocol convert(String value) {
        try {
            return GroupProtocol.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("expected one of " + String.join(", ", GroupProtocol.names())
                    + " but was '" + value + "'");
        }
    }
}
