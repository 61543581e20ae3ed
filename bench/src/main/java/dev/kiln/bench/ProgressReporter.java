package dev.kiln.bench;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows how far a long measurement is: a bar redrawn in place on a terminal, plain lines at every tenth otherwise
 * (so logs stay readable). Silent for the first couple of seconds, so short runs print nothing extra.
 */
public final class ProgressReporter implements AlternatingRounds.Progress {
    static final long QUIET_NANOS = 2_000_000_000L;
    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final String label;
    private final long start = System.nanoTime();
    private int lastTenth = -1;
    private boolean drawn;

    public ProgressReporter(PrintWriter err, boolean terminal, String label) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
    }

    /** Whether standard output is an interactive terminal. */
    public static boolean onTerminal() {
        return System.console() != null && System.console().isTerminal();
    }

    @Override
    public void roundDone(int done, int total) {
        long elapsed = System.nanoTime() - start;
        if (elapsed < QUIET_NANOS && !drawn) return;
        double fraction = (double) done / total;
        double eta = elapsed / 1e9 * (1 - fraction) / fraction;
        if (terminal) {
            int filled = (int) Math.round(fraction * WIDTH);
            err.printf(Locale.ROOT, "\r%s [%s%s] %3.0f%%  %.0f s left ", label, "#".repeat(filled), " ".repeat(WIDTH - filled),
                    100 * fraction, eta);
            if (done == total) err.println();
            drawn = true;
        } else {
            int tenth = (int) (fraction * 10);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            err.printf(Locale.ROOT, "%s: round %d/%d (%.0f%%), %.1f s elapsed%n", label, done, total, 100 * fraction, elapsed / 1e9);
            drawn = true;
        }
        err.flush();
    }
}
