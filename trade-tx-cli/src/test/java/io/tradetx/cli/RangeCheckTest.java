package io.tradetx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * RangeCheck converts and checks while picocli parses; defaults stay picocli's. Picocli does not record an
 * option consumed this way as matched: an option whose presence matters is nullable, without a default.
 */
class RangeCheckTest {
    @Command(name = "t")
    static final class Options {
        @Option(names = "--count", defaultValue = "5", parameterConsumer = RangeCheck.class)
        @Range(min = 1, max = 10)
        int count;

        @Option(names = "--ratio", parameterConsumer = RangeCheck.class)
        @Range(min = 0, minExclusive = true)
        Double ratio;

        @Option(names = "--wait", defaultValue = "30s", parameterConsumer = RangeCheck.class)
        @Range(min = 25, max = 3600)
        Duration wait;
    }

    @Test
    void validValuesAreSet() {
        Options o = new Options();
        new CommandLine(o).parseArgs("--count", "10", "--ratio=0.5", "--wait", "1m");
        assertThat(o.count).isEqualTo(10);
        assertThat(o.ratio).isEqualTo(0.5);
        assertThat(o.wait).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void defaultsApplyWhenTheOptionIsAbsent() {
        Options o = new Options();
        new CommandLine(o).parseArgs();
        assertThat(o.count).isEqualTo(5);
        assertThat(o.ratio).isNull();
        assertThat(o.wait).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void valuesOutsideTheRangeOrNotNumbersStopTheParse() {
        assertThatThrownBy(() -> new CommandLine(new Options()).parseArgs("--count", "11"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("Invalid option: --count must be from 1 to 10 (was 11)");
        assertThatThrownBy(() -> new CommandLine(new Options()).parseArgs("--count", "ten"))
                .hasMessage("Invalid option: --count must be from 1 to 10 (was ten)");
        assertThatThrownBy(() -> new CommandLine(new Options()).parseArgs("--ratio", "0"))
                .hasMessage("Invalid option: --ratio must be > 0 (was 0)");
        assertThatThrownBy(() -> new CommandLine(new Options()).parseArgs("--wait", "24s"))
                .hasMessage("Invalid option: --wait must be from 25s to 3600s (was 24s)");
        assertThatThrownBy(() -> new CommandLine(new Options()).parseArgs("--wait", "soon"))
                .hasMessage("Invalid option: --wait must be from 25s to 3600s (was soon)");
    }
}
