package dev.kiln.cli.conformance;

import java.util.List;

/** Counts of a conformance run; {@link #line()} is the run's last output line. */
public record Summary(int passed, int failed, int skipped) {
    public static Summary of(List<TestResult> results) {
        int p = 0;
        int f = 0;
        int s = 0;
        for (TestResult r : results) {
            switch (r.status()) {
                case PASS -> p++;
                case FAIL -> f++;
                case SKIP -> s++;
            }
        }
        return new Summary(p, f, s);
    }

    public int total() { return passed + failed + skipped; }

    /** passed / (passed + failed + skipped) in percent; 0 for an empty run. */
    public double passRate() { return total() == 0 ? 0 : 100.0 * passed / total(); }

    /** Exactly {@code N passed, N failed, N skipped}. */
    public String line() { return passed + " passed, " + failed + " failed, " + skipped + " skipped"; }
}
