package dev.kiln.bench.profile;

import java.util.Locale;

/**
 * The console view of a {@link NodeProfile}: one line per node, slowest first (time, share, GFLOP/s, op, kernel),
 * then the totals per op type, as ONNX Runtime's profiler and TVM's debug executor summarize theirs.
 */
public final class ProfileTable {
    private ProfileTable() {}

    public static String render(NodeProfile profile) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "profile: %d nodes, %.1f µs per inference inside nodes (mean of %d timed inferences)%n",
                profile.rows().size(), profile.totalNanos() / 1e3, profile.iterations()));
        out.append(String.format(Locale.ROOT, "%10s %7s %8s  %-24s %-28s %s%n", "µs", "share", "GFLOP/s", "op", "node", "kernel"));
        for (NodeProfile.Row r : profile.slowestFirst()) {
            out.append(String.format(Locale.ROOT, "%10.1f %6.2f%% %8s  %-24s %-28s %s%n", r.meanNanos() / 1e3,
                    100 * profile.share(r.meanNanos()), gflops(r.gflopsPerSecond()), r.op(), r.node(), r.kernel()));
        }
        out.append(String.format(Locale.ROOT, "per op type:%n%10s %7s %8s  %-24s %s%n", "µs", "share", "GFLOP/s", "op", "nodes"));
        for (NodeProfile.OpTotal t : profile.byOp()) {
            out.append(String.format(Locale.ROOT, "%10.1f %6.2f%% %8s  %-24s %d%n", t.meanNanos() / 1e3, 100 * profile.share(t.meanNanos()),
                    gflops(t.gflopsPerSecond()), t.op(), t.nodes()));
        }
        return out.toString();
    }

    private static String gflops(double value) { return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.1f", value); }
}
