package dev.kiln.bench;

import dev.kiln.bench.energy.EnergyFigure;

import java.util.Locale;
import java.util.function.Function;

/** The console view of one configuration: Kiln's figures beside ONNX Runtime's and their ratio, one metric a line. */
public final class RunSummary {
    private RunSummary() {}

    public static String render(BenchRun run) {
        BenchResult k = run.kiln();
        BenchResult b = run.baseline();
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s on %s: %d thread%s, batch %d, %s, -%s%n", k.model(), k.device(), k.threads(),
                k.threads() == 1 ? "" : "s", k.batch(), k.precision(), k.optLevel()));
        out.append(String.format(Locale.ROOT, "%-28s %14s", "", "kiln"));
        if (b != null) out.append(String.format(Locale.ROOT, " %14s %8s", "onnxruntime", "ratio"));
        out.append('\n');
        latency(out, "latency min (µs)", run, l -> l.minUs());
        latency(out, "latency mean (µs)", run, l -> l.meanUs());
        latency(out, "latency p50 (µs)", run, l -> l.p50Us());
        latency(out, "latency p90 (µs)", run, l -> l.p90Us());
        latency(out, "latency p99 (µs)", run, l -> l.p99Us());
        latency(out, "latency p99.9 (µs)", run, l -> l.p999Us());
        row(out, "throughput (inferences/s)", run, BenchResult::throughputPerSecond, "%.1f");
        row(out, "compile (ms)", run, BenchResult::compileMillis, "%.1f");
        row(out, "first inference (µs)", run, BenchResult::firstInferenceMicros, "%.1f");
        row(out, "heap alloc (B/inference)", run, BenchResult::allocBytesPerInference, "%.0f");
        row(out, "arena (B)", run, r -> (double) r.arenaBytes(), "%.0f");
        row(out, "energy (mJ/inference)", run, r -> r.energy() == null ? Double.NaN : r.energy().joulesPerInference() * 1e3, "%.4f");
        row(out, "average power (W)", run, r -> r.energy() == null ? Double.NaN : r.energy().averageWatts(), "%.2f");
        if (k.accuracy() != null) row(out, "accuracy (%)", run, r -> r.accuracy() == null ? Double.NaN : 100 * r.accuracy(), "%.2f");
        if (k.maxDeviation() != null) row(out, "max deviation from ref", run, r -> r.maxDeviation() == null ? Double.NaN : r.maxDeviation(), "%.3g");
        EnergyFigure e = k.energy();
        if (e != null) out.append("energy source: ").append(e.source()).append(e.isEstimate() ? " (model-based, see docs/energy-model.md)" : "").append('\n');
        out.append(String.format(Locale.ROOT, "peak resident memory: %.1f MiB; model file: %d bytes%n", k.peakRssBytes() / 1048576.0, k.modelBytes()));
        if (b != null) {
            out.append(String.format(Locale.ROOT, "outputs %s onnxruntime's (max difference %.3g); p50 ratio %.3f, p99 ratio %.3f (kiln ÷ onnxruntime, < 1 is faster)%n",
                    run.outputsAgree() ? "agree with" : "DIFFER from", run.outputsMaxDifference(), run.ratioP50(), run.ratioP99()));
        }
        return out.toString();
    }

    private static void latency(StringBuilder out, String label, BenchRun run, Function<LatencyStats, Double> metric) {
        row(out, label, run, r -> metric.apply(r.latency()), "%.1f");
    }

    private static void row(StringBuilder out, String label, BenchRun run, Function<BenchResult, Double> metric, String format) {
        double k = metric.apply(run.kiln());
        out.append(String.format(Locale.ROOT, "%-28s %14s", label, cell(k, format)));
        if (run.hasBaseline()) {
            double b = metric.apply(run.baseline());
            String ratio = k >= 0 && b > 0 ? String.format(Locale.ROOT, "%.3f", k / b) : "";
            out.append(String.format(Locale.ROOT, " %14s %8s", cell(b, format), ratio));
        }
        out.append('\n');
    }

    private static String cell(double v, String format) {
        return Double.isNaN(v) || v < 0 ? "-" : String.format(Locale.ROOT, format, v);
    }
}
