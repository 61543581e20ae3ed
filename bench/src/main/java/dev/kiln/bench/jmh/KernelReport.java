package dev.kiln.bench.jmh;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarizes a JMH JSON result file ({@code -rf json -rff FILE}) of the kernel benchmarks and probes: for each kernel
 * call, its GFLOP/s and the fraction of the FMA peak measured in the same run; for kernels below the roofline's
 * ridge point, the GB/s and the fraction of the measured triad bandwidth; and each backend against its scalar
 * baseline. A kernel on T threads is read against T times the one-thread FMA peak.
 */
public final class KernelReport {
    private static final String ROW = "%-20s %-26s %-10s %12s %9s %8s %8s %8s %-7s %9s%n";

    private KernelReport() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: KernelReport JMH-RESULTS.json");
            System.exit(2);
        }
        try {
            System.out.print(render(JmhResult.read(Path.of(args[0]))));
        } catch (NoSuchFileException e) {
            System.err.println("KernelReport: " + args[0] + ": no such file");
            System.exit(1);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("KernelReport: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The report as text: the measured limits, then one row per kernel result. */
    public static String render(List<JmhResult> results) {
        MachineLimits limits = MachineLimits.of(results);
        StringBuilder out = new StringBuilder();
        out.append("Limits measured in this run (one thread):\n");
        out.append(limit("FMA peak, Vector API (SPECIES_PREFERRED)", limits.vectorFlops() / 1e9, "GFLOP/s", "FmaPeakProbe.vector"));
        out.append(limit("FMA peak, scalar Math.fma", limits.scalarFlops() / 1e9, "GFLOP/s", "FmaPeakProbe.scalar"));
        out.append(limit("Bandwidth, triad a = b + s*c (12 B/elem)", limits.triadBytes() / 1e9, "GB/s", "MemoryBandwidthProbe.triad"));
        out.append(limit("Bandwidth, read-only sum (4 B/elem)", limits.sumBytes() / 1e9, "GB/s", "MemoryBandwidthProbe.sum"));
        out.append(String.format(Locale.ROOT, "  Ridge point (1 thread): %.2f FLOP/byte; below it a kernel is memory-bound%n%n", limits.ridge(1)));
        out.append(String.format(Locale.ROOT, ROW, "Kernel", "Shape", "Impl", "Time (us)", "GFLOP/s", "of peak", "GB/s", "of BW",
                "Bound", "vs scalar"));
        for (KernelCatalog.Kernel kernel : KernelCatalog.KERNELS) {
            Map<Map<String, String>, List<JmhResult>> byShape = new LinkedHashMap<>();
            for (JmhResult r : results) {
                if (r.benchmarkClass().equals(kernel.type().getName())) {
                    byShape.computeIfAbsent(shape(r), s -> new ArrayList<>()).add(r);
                }
            }
            byShape.forEach((shape, rows) -> appendShape(out, kernel, shape, rows, limits));
        }
        return out.toString();
    }

    private static String limit(String what, double value, String unit, String probe) {
        return Double.isNaN(value)
                ? String.format(Locale.ROOT, "  %-42s not measured (run %s too)%n", what, probe)
                : String.format(Locale.ROOT, "  %-42s %8.2f %s%n", what, value, unit);
    }

    /** The parameters that set the shape: all but the device and the thread count. */
    private static Map<String, String> shape(JmhResult r) {
        Map<String, String> shape = new LinkedHashMap<>(r.params());
        shape.remove("device");
        shape.remove("threads");
        return shape;
    }

    private static void appendShape(StringBuilder out, KernelCatalog.Kernel kernel, Map<String, String> shape,
                                    List<JmhResult> rows, MachineLimits limits) {
        Work work = kernel.work().apply(shape);
        double scalarSeconds = rows.stream().filter(r -> r.method().equals("scalar"))
                .mapToDouble(JmhResult::secondsPerCall).findFirst().orElse(Double.NaN);
        String shapeText = String.join(" ", shape.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        for (JmhResult r : rows) {
            boolean scalar = r.method().equals("scalar");
            int threads = scalar ? 1 : Integer.parseInt(r.params().getOrDefault("threads", "1"));
            double seconds = r.secondsPerCall();
            double flops = work.flops() / seconds, bytes = work.bytes() / seconds;
            double ridge = limits.ridge(threads);
            boolean memoryBound = work.intensity() < ridge;
            String impl = scalar ? "scalar" : r.params().get("device") + " " + threads + "t";
            out.append(String.format(Locale.ROOT, ROW, kernel.type().getSimpleName(), shapeText, impl,
                    String.format(Locale.ROOT, "%.1f", seconds * 1e6),
                    String.format(Locale.ROOT, "%.3f", flops / 1e9),
                    percent(flops / (threads * limits.vectorFlops())),
                    memoryBound ? String.format(Locale.ROOT, "%.2f", bytes / 1e9) : "-",
                    memoryBound ? percent(bytes / limits.triadBytes()) : "-",
                    Double.isNaN(ridge) ? "?" : memoryBound ? "memory" : "compute",
                    scalar || Double.isNaN(scalarSeconds) ? "-" : String.format(Locale.ROOT, "%.3gx", scalarSeconds / seconds)));
        }
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "?" : String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }
}
