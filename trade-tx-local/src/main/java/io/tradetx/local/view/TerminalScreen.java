package io.tradetx.local.view;

import java.io.PrintStream;
import java.util.List;

/**
 * Draws a block of lines in place on an ANSI terminal, with a prompt line below it for typing.
 *
 * <p>The view runs on the alternate screen (as {@code top} or {@code less} do), so the shell's screen comes back
 * unchanged when it closes. The block is written at fixed rows with the cursor saved and restored around it, so
 * that what the person is typing on the prompt line stays where it is; lines are cut to the terminal's width so
 * that none wraps, and nothing is ever printed below the prompt, so the screen never scrolls.
 */
final class TerminalScreen {
    private static final String CSI = "\033[";
    private static final String SAVE_CURSOR = "\0337";
    private static final String RESTORE_CURSOR = "\0338";
    static final String PROMPT = "> ";

    private final PrintStream out;
    private int rows;
    private int columns;
    private int drawnLines;
    private boolean open;

    TerminalScreen(PrintStream out, int rows, int columns) {
        this.out = out;
        this.rows = rows;
        this.columns = columns;
    }

    /** Switches to the alternate screen, clears it and puts the prompt on the first line. */
    synchronized void open() {
        open = true;
        out.print(CSI + "?1049h" + CSI + "H" + CSI + "2J");
        prompt();
    }

    /** Rows available to the block: the terminal's minus the prompt line. */
    synchronized int blockRows() {
        return Math.max(1, rows - 1);
    }

    /** A new terminal size: the next draw clears the screen and starts over. */
    synchronized void resize(int newRows, int newColumns) {
        if (newRows != rows || newColumns != columns) {
            rows = newRows;
            columns = newColumns;
            if (open) {
                // The next draw writes the whole block and a fresh prompt.
                out.print(CSI + "2J");
                out.flush();
                drawnLines = 0;
            }
        }
    }

    /** Writes {@code lines} over the previous block, at most {@link #blockRows} of them. */
    synchronized void draw(List<String> lines) {
        if (!open) {
            return;
        }
        int n = Math.min(lines.size(), blockRows());
        StringBuilder b = new StringBuilder(SAVE_CURSOR);
        for (int i = 0; i < n; i++) {
            b.append(CSI).append(i + 1).append(";1H").append(cut(lines.get(i))).append(CSI).append('K');
        }
        for (int i = n; i < drawnLines; i++) {
            b.append(CSI).append(i + 1).append(";1H").append(CSI).append('K');
        }
        boolean moved = n != drawnLines;
        drawnLines = n;
        b.append(RESTORE_CURSOR);
        out.print(b);
        if (moved) {
            prompt();
        }
        out.flush();
    }

    /**
     * Puts a fresh prompt below the block: after the person pressed Enter (the terminal's echo moved the cursor
     * down a line) or when the block changed height.
     */
    synchronized void prompt() {
        if (!open) {
            return;
        }
        out.print(CSI + (drawnLines + 1) + ";1H" + PROMPT + CSI + "J");
        out.flush();
    }

    /** Leaves the alternate screen (the shell's screen returns) and prints {@code lastLines} there once. */
    synchronized void close(List<String> lastLines) {
        if (!open) {
            return;
        }
        open = false;
        out.print(CSI + "?1049l");
        for (String line : lastLines) {
            out.println(cut(line));
        }
        out.flush();
    }

    private String cut(String line) {
        // One column spare: writing the last column would leave the cursor waiting to wrap.
        int max = Math.max(1, columns - 1);
        return line.length() <= max ? line : line.substring(0, max);
    }
}
