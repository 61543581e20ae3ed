package dev.kiln.bench;

import dev.kiln.bench.energy.EnergyFigure;
import dev.kiln.ir.json.JsonText;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine-readable result: one object per run with Kiln's figures at the top level and ONNX Runtime's under
 * {@code baseline}, plus the ratios (Kiln ÷ ONNX Runtime); a sweep writes {@code {"runs": [...], "machine": ...}}.
 * Figures that were not measured are null.
 */
public final class BenchJson {
    private BenchJson() {}

    public static String run(BenchRun run, MachineInfo machine) {
        return JsonText.write(runObject(run, machine));
    }

    public static String sweep(List<BenchRun> runs, MachineInfo machine) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("runs", runs.stream().map(r -> runObject(r, null)).toList());
        root.put("machine", machine(machine));
        return JsonText.write(root);
    }

    private static Map<String, Object> runObject(BenchRun run, MachineInfo machine) {
        Map<String, Object> o = result(run.kiln());
        if (machine != null) o.put("machine", machine(machine));
        if (run.hasBaseline()) {
            o.put("baseline", result(run.baseline()));
            o.put("ratio_p50", run.ratioP50());
            o.put("ratio_p99", run.ratioP99());
            o.put("outputs_agree", run.outputsAgree());
            o.put("outputs_max_difference", run.outputsMaxDifference());
        }
        return o;
    }

    static Map<String, Object> result(BenchResult r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("runtime", r.runtime());
        o.put("model", r.model());
        o.put("device", r.device());
        o.put("threads", r.threads());
        o.put("batch", r.batch());
        o.put("precision", r.precision());
        o.put("opt_level", r.optLevel());
        LatencyStats l = r.latency();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("min", l.minUs());
        latency.put("mean", l.meanUs());
        latency.put("p50", l.p50Us());
        latency.put("p90", l.p90Us());
        latency.put("p99", l.p99Us());
        latency.put("p999", l.p999Us());
        latency.put("max", l.maxUs());
        latency.put("count", l.count());
        o.put("latency_us", latency);
        o.put("throughput_per_s", r.throughputPerSecond());
        o.put("compile_ms", r.compileMillis());
        o.put("first_inference_us", r.firstInferenceMicros());
        o.put("alloc_bytes_per_inference", Double.isNaN(r.allocBytesPerInference()) ? null : r.allocBytesPerInference());
        o.put("arena_bytes", orNull(r.arenaBytes()));
        o.put("peak_rss_bytes", orNull(r.peakRssBytes()));
        o.put("model_bytes", orNull(r.modelBytes()));
        o.put("artifact_bytes", orNull(r.artifactBytes()));
        o.put("energy_per_inference_j", energy(r.energy()));
        o.put("accuracy", r.accuracy());
        o.put("max_deviation", r.maxDeviation());
        return o;
    }

    private static Map<String, Object> energy(EnergyFigure e) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("value", e == null ? null : e.joulesPerInference());
        o.put("source", e == null ? null : e.source());
        o.put("average_w", e == null ? null : e.averageWatts());
        o.put("edp_js", e == null ? null : e.energyDelayProduct());
        return o;
    }

    private static Map<String, Object> machine(MachineInfo m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("cpu", m.cpuModel());
        o.put("cores", m.cores());
        o.put("memory_bytes", m.memoryBytes());
        o.put("os", m.os());
        o.put("jdk", m.jdk());
        return o;
    }

    private static Long orNull(long bytes) { return bytes < 0 ? null : bytes; }
}
