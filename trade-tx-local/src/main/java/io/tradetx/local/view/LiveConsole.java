package io.tradetx.local.view;

import io.tradetx.local.run.LocalRun;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The terminal of {@code ./trade-tx local} when a person watches it: the log lines go to a file in the run's
 * work directory, the terminal shows a few lines around the {@link LiveView}, which takes the screen while the
 * run is up. Closing it gives the terminal and the standard streams back.
 */
public final class LiveConsole implements AutoCloseable {
    private final Path workDir;
    private final Path logFile;
    private final PrintStream terminal;
    private final boolean unicode;
    private final PrintStream savedOut = System.out;
    private final PrintStream savedErr = System.err;
    private final PrintStream log;
    private LiveView view;

    private LiveConsole(Path workDir, boolean unicode) throws IOException {
        this.workDir = workDir;
        this.logFile = workDir.resolve("local.log");
        this.unicode = unicode;
        Charset charset = unicode ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        // The real standard output, whatever System.out is set to below.
        this.terminal = new PrintStream(new FileOutputStream(FileDescriptor.out), true, charset);
        this.log = new PrintStream(Files.newOutputStream(logFile), true, StandardCharsets.UTF_8);
    }

    /**
     * Creates a work directory, sends System.out and System.err there (slf4j-simple writes its lines to
     * System.err as it is at each line), and says where on the terminal.
     */
    public static LiveConsole start() throws IOException {
        LiveConsole console = new LiveConsole(Files.createTempDirectory("trade-tx-local-"),
                Terminal.utf8(System.getenv()));
        System.setOut(console.log);
        System.setErr(console.log);
        console.say("trade-tx local: logs go to " + console.logFile + " (--logs prints them here instead)");
        return console;
    }

    /** The run's work directory (the log file, and the broker's data while it runs). */
    public Path workDir() {
        return workDir;
    }

    /** Prints one line on the terminal (outside the view). */
    public void say(String line) {
        terminal.println(line);
    }

    /** Takes the screen with the live view of a started run. */
    public LiveView show(LocalRun.RunContext ctx, LocalRun.Scaling scaling) {
        int[] size = Terminal.size();
        view = new LiveView(new TerminalScreen(terminal, size[0], size[1]), unicode, ctx, scaling, logFile);
        view.open();
        return view;
    }

    /** Takes the screen with one block per tenant of a started run; {@code scenario} gives the scenario's line. */
    public LiveView showTenants(List<TenantPanel> panels, Supplier<String> scenario) {
        int[] size = Terminal.size();
        List<StatusSampler> samplers = panels.stream()
                .map(p -> new StatusSampler(p.ctx(), p.scaling(), p.meterTag())).toList();
        view = new LiveView(new TerminalScreen(terminal, size[0], size[1]), unicode, samplers,
                panels.stream().map(TenantPanel::tenant).toList(), scenario, logFile);
        view.open();
        return view;
    }

    /** Gives the screen back, leaving the view's last state on it. */
    public void hide() {
        if (view != null) {
            view.close();
            view = null;
        }
    }

    @Override
    public void close() {
        hide();
        System.setOut(savedOut);
        System.setErr(savedErr);
        log.close();
        say("Logs: " + logFile);
    }
}
