package dev.kiln.bench.report;

import dev.kiln.bench.BenchResult;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.LatencyStats;
import dev.kiln.bench.MachineInfo;
import dev.kiln.bench.energy.EnergyFigure;

import java.time.Instant;
import java.util.List;

/** Hand-made benchmark results for the report tests: a small sweep with every case the report must handle. */
final class SampleRuns {
    static final MachineInfo MACHINE = new MachineInfo("AMD EPYC 7B13", 2, 24L << 30, "Linux 6.1 amd64",
            "Eclipse Adoptium OpenJDK 64-Bit Server VM 25.0.1+8-LTS");
    static final Instant MEASURED = Instant.parse("2026-11-22T21:30:00Z");

    private SampleRuns() {}

    /** A result whose percentiles spread upward from {@code p50Us}; {@code joules} null means no energy figure. */
    static BenchResult result(String runtime, String device, String precision, int threads, int batch, double p50Us,
                              Double joules, String source) {
        LatencyStats latency = new LatencyStats(1000, p50Us * 0.9, p50Us * 1.05, p50Us, p50Us * 1.2, p50Us * 1.6, p50Us * 2.3,
                p50Us * 2.5);
        EnergyFigure energy = joules == null ? null : new EnergyFigure(joules, joules * batch / (p50Us * 1e-6), joules * p50Us * 1e-6 / batch, source);
        return new BenchResult(runtime, "mobilenet_v2", device, threads, batch, precision, "O2", latency,
                latency.throughputPerSecond(batch), 412.5, p50Us * 3, 96, 12L << 20, 180L << 20, 14L << 20, 13L << 20,
                energy, null, 2.4e-6);
    }

    /**
     * Six configurations, four compared with ONNX Runtime; one Kiln result and one baseline without energy, so eight
     * points with energy. By construction the (p50, energy) frontier is, by latency: kiln cpu fp32 4t b1 (800 µs,
     * 9 mJ), onnxruntime cpu int8 4t b1 (1100 µs, 5.5 mJ), kiln cpu int8 4t b1 (1200 µs, 4 mJ), kiln cpu int8 4t b8
     * (5000 µs, 1.5 mJ), kiln gpu fp16 1t b8 (9000 µs, 1 mJ).
     */
    static final List<String> FRONTIER = List.of("kiln · cpu fp32 4t b1", "onnxruntime · cpu int8 4t b1",
            "kiln · cpu int8 4t b1", "kiln · cpu int8 4t b8", "kiln · gpu fp16 1t b8");
    static final int WITH_ENERGY = 8;

    static List<BenchRun> sweep() {
        return List.of(
                compared(result("kiln", "ref", "fp32", 1, 1, 21000, 0.21, "estimate"),
                        result("onnxruntime", "ref", "fp32", 1, 1, 2500, null, null)),
                compared(result("kiln", "cpu", "fp32", 4, 1, 800, 0.009, "rapl"),
                        result("onnxruntime", "cpu", "fp32", 4, 1, 950, 0.011, "rapl")),
                compared(result("kiln", "cpu", "int8", 4, 1, 1200, 0.004, "rapl"),
                        result("onnxruntime", "cpu", "int8", 4, 1, 1100, 0.0055, "rapl")),
                compared(result("kiln", "cpu", "int8", 4, 8, 5000, 0.0015, "rapl"),
                        result("onnxruntime", "cpu", "int8", 4, 8, 6100, 0.0021, "rapl")),
                BenchRun.alone(result("kiln", "gpu", "fp16", 1, 8, 9000, 0.001, "estimate")),
                BenchRun.alone(result("kiln", "fpga", "int8", 1, 1, 15000, null, null)));
    }

    static BenchRun compared(BenchResult kiln, BenchResult baseline) { return new BenchRun(kiln, baseline, 3.1e-6, true); }
}
