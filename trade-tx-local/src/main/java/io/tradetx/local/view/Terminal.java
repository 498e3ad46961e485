package io.tradetx.local.view;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Facts about the terminal this process runs in: whether there is one, its size, whether it shows UTF-8. */
public final class Terminal {
    /** When the size cannot be read: the classic 80 x 24. */
    static final int DEFAULT_COLUMNS = 80;
    static final int DEFAULT_ROWS = 24;

    private Terminal() {
    }

    /** True when standard input and output are both a terminal (a person is watching and can type). */
    public static boolean interactive() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 on, System.console() exists even when redirected; isTerminal() then tells.
        try {
            Method isTerminal = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException olderJava) {
            return true;
        }
    }

    /** True if the locale says the terminal shows UTF-8 (else the view sticks to ASCII). */
    public static boolean utf8(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(name);
            if (v != null && !v.isEmpty()) {
                String lower = v.toLowerCase(Locale.ROOT);
                return lower.contains("utf-8") || lower.contains("utf8");
            }
        }
        return false;
    }

    /** {rows, columns} of the controlling terminal, from {@code stty size}; 24 x 80 when it cannot be read. */
    public static int[] size() {
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            }
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0) {
                String[] parts = out.split("\\s+");
                int rows = Integer.parseInt(parts[0]);
                int cols = Integer.parseInt(parts[1]);
                if (rows > 0 && cols > 0) {
                    return new int[] {rows, cols};
                }
            }
        } catch (IOException | RuntimeException e) {
            // no stty or no terminal: the default below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new int[] {DEFAULT_ROWS, DEFAULT_COLUMNS};
    }
}
