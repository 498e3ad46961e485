package io.tradetx.cli;

import io.tradetx.common.config.InvalidSettingsException;
import io.tradetx.common.config.Startup;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./trade-tx} command line: one subcommand per job. */
@Command(name = "trade-tx", mixinStandardHelpOptions = true, version = "trade-tx 1.0.0",
        description = "Kafka microbatch processing autoscaled by KEDA: run it locally, simulate and tune scaling.",
        subcommands = {LocalCommand.class, SimulateCommand.class, TuneCommand.class, ProfileCommand.class,
            io.tradetx.cli.ChaosCommand.class,
            io.tradetx.cli.ReplayCommand.class,
            io.tradetx.cli.BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class TradeTxCli implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /**
     * The command line whose simulate and tune read {@code environment} as the shell's settings layer (tests give
     * their own; the other commands read the process environment).
     */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K made = CommandLine.defaultFactory().create(type);
                if (made instanceof SimulationOptions options) {
                    options.environment = environment;
                }
                return made;
            }
        };
        return new CommandLine(new TradeTxCli(), factory).registerConverter(java.time.Duration.class, new DurationConverter())
                // A bad option: its one line (naming the option and what is allowed), not the whole usage.
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine failed = e.getCommandLine();
                    failed.getErr().println(e.getMessage());
                    CommandLine.UnmatchedArgumentException.printSuggestions(e, failed.getErr());
                    failed.getErr().println("See '" + failed.getCommandSpec().qualifiedName() + " --help'.");
                    failed.getErr().flush();
                    return failed.getCommandSpec().exitCodeOnInvalidInput();
                })
                // Settings from the environment are read inside the commands: one report and exit code for all.
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    if (e instanceof InvalidSettingsException invalid) {
                        Startup.report(invalid);
                        return Startup.EXIT_INVALID_SETTINGS;
                    }
                    throw e;
                });
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
