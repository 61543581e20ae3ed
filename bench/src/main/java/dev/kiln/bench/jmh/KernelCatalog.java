package dev.kiln.bench.jmh;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The kernel benchmarks, each with the work one call does at given JMH parameters, and the probes. Each kernel
 * class has a {@code backend} benchmark (the op as a device compiles it) and a {@code scalar} baseline.
 */
public final class KernelCatalog {
    private KernelCatalog() {}

    /** A kernel benchmark class and the work of one call at the given JMH parameters. */
    public record Kernel(Class<?> type, Function<Map<String, String>, Work> work) {}

    /** The kernel benchmarks, in the order reports list them. */
    public static final List<Kernel> KERNELS = List.of(
            new Kernel(GemmBench.class, GemmBench::work),
            new Kernel(ConvBench.class, ConvBench::work),
            new Kernel(PointwiseConvBench.class, PointwiseConvBench::work),
            new Kernel(SkinnyConvBench.class, SkinnyConvBench::work),
            new Kernel(DepthwiseConvBench.class, DepthwiseConvBench::work),
            new Kernel(MaxPoolBench.class, MaxPoolBench::work),
            new Kernel(ElementwiseBench.class, ElementwiseBench::work),
            new Kernel(SoftmaxBench.class, SoftmaxBench::work),
            new Kernel(AttentionBench.class, AttentionBench::work));

    /**
     * Benchmarks of CPU-backend library code called directly rather than through a compiled op: each method
     * {@code xVector} has its scalar baseline {@code xScalar} in the same class.
     */
    public static final List<Class<?>> LIBRARY = List.of(CpuVectorMathBenchmark.class, CpuGemmBenchmark.class);

    /**
     * Comparisons of two implementations of the same work in one run, read as a ratio: the int8 ops against the
     * float ops of the same shape (GEMM, convolution, the residual add), and the integer product options against the float
     * FMA micro-kernel.
     */
    public static final List<Class<?>> COMPARISONS = List.of(QuantKernelBench.class, QuantAddBench.class, IntegerProductProbe.class);

    /** The probes: the machine limits the kernels are read against. */
    public static final List<Class<?>> PROBES = List.of(FmaPeakProbe.class, MemoryBandwidthProbe.class);

    /** Every benchmark class: kernels, library benchmarks, comparisons, then probes. */
    public static List<Class<?>> all() {
        return Stream.of(KERNELS.stream().map(Kernel::type), LIBRARY.stream(), COMPARISONS.stream(), PROBES.stream())
                .flatMap(s -> s).toList();
    }

    /** The kernel whose class is named {@code className}, if it is one. */
    public static Optional<Kernel> kernel(String className) {
        return KERNELS.stream().filter(k -> k.type().getName().equals(className)).findFirst();
    }
}
