package io.tradetx.cli;

import java.util.Arrays;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Converts an option's value to an enum constant by the constant's {@code toString()} (the name users
 * type, e.g. seed-demo), any case; a wrong value gets picocli's error listing every allowed name.
 * Subclass it per enum with a no-argument constructor: picocli instantiates converters itself.
 */
public abstract class EnumConverter<E extends Enum<E>> implements CommandLine.ITypeConverter<E> {
    private final Class<E> type;

    protected EnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public E convert(String value) {
        for (E e : type.getEnumConstants()) {
            if (e.toString().equalsIgnoreCase(value.trim())) {
                return e;
            }
        }
        throw new CommandLine.TypeConversionException("expected one of " + Arrays.stream(type.getEnumConstants())
                .map(Object::toString).collect(Collectors.joining(", ")) + " but was '" + value + "'");
    }
}
