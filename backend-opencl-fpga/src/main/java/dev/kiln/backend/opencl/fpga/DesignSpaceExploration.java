package dev.kiln.backend.opencl.fpga;

import dev.kiln.ir.Graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses how to build a model on a part. First dedicated hardware per layer, as Kiln renders it: every layer
 * starts with one lane and keeps its weights on chip where the memory allows; then, greedily, the layer that
 * limits the objective (the slowest layer for throughput; the layer with the most compute cycles for latency)
 * gets the next unroll factor that divides its loop, as long as the design stays within the utilisation cap on
 * DSPs, on-chip memory and logic (real flows stop fitting near 80-90%). A layer stops growing when it waits on
 * external memory or the next factor does not fit; the search ends when the next candidate takes under 1% of an
 * inference's cycles. When even one lane per layer does not fit, the layers share
 * one PipeCNN-style engine instead, and the search picks its vector width and lanes.
 */
public final class DesignSpaceExploration {
    /** Share of each resource a design may use (judgement: vendors' flows route reliably up to about 85%). */
    public static final double UTILISATION_CAP = 0.85;
    /** Fully connected layers of a throughput-oriented shared engine reuse weights across 16 images (PipeCNN's batch). */
    static final int THROUGHPUT_BATCH = 16;
    /** A layer under 1% of an inference's cycles is not worth more hardware: the search stops there. */
    static final double NEGLIGIBLE_SHARE = 0.01;
    private static final int[] ENGINE_VECTORS = {4, 8, 16, 32, 64};

    private DesignSpaceExploration() {}

    /** The best fp32 design of {@code typed} on {@code part} for {@code objective}, at the part's typical clock. */
    public static Exploration explore(Graph typed, FpgaPart part, Objective objective) {
        return explore(typed, part, objective, FpgaDataType.FP32);
    }

    /** As {@link #explore(Graph, FpgaPart, Objective)} with {@code dtype} lanes (int8 for a quantized design). */
    public static Exploration explore(Graph typed, FpgaPart part, Objective objective, FpgaDataType dtype) {
        List<LoopNest> nests = FpgaEstimator.nests(typed);
        Map<String, Integer> lanes = new HashMap<>();
        for (LoopNest n : nests) lanes.put(n.node(), 1);
        List<Long> budgets = weightBudgets(nests, dtype);
        for (int i = budgets.size() - 1; i >= 0; i--) {
            FpgaDesign design = FpgaDesign.dedicated(dtype, part.kernelClockHz(), lanes, budgets.get(i));
            FpgaEstimate e = DedicatedModel.estimate(nests, part, design);
            if (e.fits(UTILISATION_CAP)) return withEngineComparison(grow(nests, part, objective, design, e), nests, part, objective);
        }
        FpgaEstimate smallest = DedicatedModel.estimate(nests, part, FpgaDesign.dedicated(dtype, part.kernelClockHz(), lanes, 0));
        return sharedEngine(nests, part, objective, dtype, String.format(Locale.ROOT,
                "dedicated hardware per layer does not fit %s even at one lane per layer (DSP %.0f%%, memory %.0f%%, logic %.0f%%)",
                part.id(), 100 * smallest.dspUtilization(), 100 * smallest.memoryUtilization(), 100 * smallest.logicUtilization()));
    }

    /** Per-layer on-chip weight budgets to try: 0 and each layer's weight size, ascending. */
    private static List<Long> weightBudgets(List<LoopNest> nests, FpgaDataType dtype) {
        TreeSet<Long> sizes = new TreeSet<>();
        sizes.add(0L);
        for (LoopNest n : nests) if (n.weightElements() > 0) sizes.add(n.weightElements() * dtype.bytes());
        return new ArrayList<>(sizes);
    }

    private static Exploration grow(List<LoopNest> nests, FpgaPart part, Objective objective, FpgaDesign design, FpgaEstimate e) {
        Map<String, Integer> lanes = new HashMap<>(design.unrollByNode());
        Set<String> frozen = new HashSet<>();
        Map<String, LoopNest> byNode = new HashMap<>();
        for (LoopNest n : nests) byNode.put(n.node(), n);
        while (true) {
            LayerEstimate target = target(e, frozen, objective);
            if (target == null || target.cycles() < NEGLIGIBLE_SHARE * e.latencySeconds() * design.clockHz()) break;
            LoopNest nest = byNode.get(target.node());
            int next = nextFactor(nest.inner(), lanes.get(nest.node()));
            if (target.memoryBound() || next < 0) {
                frozen.add(nest.node());
                continue;
            }
            lanes.put(nest.node(), next);
            FpgaDesign tried = FpgaDesign.dedicated(design.dtype(), design.clockHz(), lanes, design.localBytesPerLayer());
            FpgaEstimate t = DedicatedModel.estimate(nests, part, tried);
            if (t.fits(UTILISATION_CAP)) {
                design = tried;
                e = t;
            } else {
                lanes.put(nest.node(), target.lanes());
                frozen.add(nest.node());
            }
        }
        return new Exploration(design, e, "dedicated hardware per layer (Kiln's one kernel per layer), unroll factors grown "
                + "greedily for " + objective.name().toLowerCase(Locale.ROOT) + " within " + Math.round(100 * UTILISATION_CAP)
                + "% of " + part.id() + "'s DSPs, on-chip memory and logic");
    }

    /**
     * The next layer to grow, or null when every layer is frozen. Throughput: the slowest layer (it sets the rate;
     * once it cannot grow, the others still shorten the latency). Latency: the layer whose next factor saves the
     * most cycles per DSP block it adds.
     */
    private static LayerEstimate target(FpgaEstimate e, Set<String> frozen, Objective objective) {
        LayerEstimate best = null;
        double bestKey = -1;
        for (LayerEstimate l : e.layers()) {
            if (frozen.contains(l.node())) continue;
            double key = objective == Objective.THROUGHPUT ? l.cycles()
                    : l.computeCycles() / Math.max(1.0, l.dsps() / (double) l.lanes());
            if (key > bestKey) {
                best = l;
                bestKey = key;
            }
        }
        return best;
    }

    /** The smallest divisor of {@code trips} above {@code current}, or -1 when the loop is fully unrolled. */
    static int nextFactor(long trips, int current) {
        for (long f = current + 1; f <= trips && f <= Integer.MAX_VALUE; f++) {
            if (trips % f == 0) return (int) f;
        }
        return -1;
    }

    /**
     * Kiln renders dedicated hardware, so that is the choice when it fits; the decision still says when a shared
     * engine would estimate better (weights re-read per output position can sink a dedicated design).
     */
    private static Exploration withEngineComparison(Exploration dedicated, List<LoopNest> nests, FpgaPart part, Objective objective) {
        FpgaEstimate engine = bestEngine(nests, part, objective, dedicated.design().dtype());
        if (engine == null || !objective.better(engine, dedicated.estimate())) return dedicated;
        return new Exploration(dedicated.design(), dedicated.estimate(), dedicated.decision() + String.format(Locale.ROOT,
                "; a PipeCNN-style shared engine of %d x %d would estimate %.1f inferences/s and %.3f ms, but Kiln renders one kernel per layer",
                engine.design().vector(), engine.design().lanes(), engine.throughputPerSecond(), engine.latencySeconds() * 1e3));
    }

    private static Exploration sharedEngine(List<LoopNest> nests, FpgaPart part, Objective objective, FpgaDataType dtype, String why) {
        FpgaEstimate best = bestEngine(nests, part, objective, dtype);
        if (best == null) {
            throw new IllegalArgumentException("the model does not fit " + part.id() + " even as a shared engine of "
                    + ENGINE_VECTORS[0] + " x 1 multiply-adds");
        }
        return new Exploration(best.design(), best, why + "; time-sharing one engine of " + best.design().vector() + " x "
                + best.design().lanes() + " multiply-adds as PipeCNN does");
    }

    /** The best shared engine within the cap (vector widths 4-64, lanes growing by a quarter), or null when none fits. */
    private static FpgaEstimate bestEngine(List<LoopNest> nests, FpgaPart part, Objective objective, FpgaDataType dtype) {
        int batch = objective == Objective.THROUGHPUT ? THROUGHPUT_BATCH : 1;
        FpgaEstimate best = null;
        for (int vector : ENGINE_VECTORS) {
            for (int lanes = 1; lanes <= 1024; lanes = lanes < 4 ? lanes + 1 : lanes + lanes / 4) {
                FpgaDesign d = FpgaDesign.sharedEngine(dtype, part.kernelClockHz(), vector, lanes, batch);
                FpgaEstimate e = SharedEngineModel.estimate(nests, part, d);
                if (!e.fits(UTILISATION_CAP)) break;
                if (best == null || objective.better(e, best)) best = e;
            }
        }
        return best;
    }
}
