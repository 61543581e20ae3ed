package dev.kiln.backend.opencl.fpga;

import dev.kiln.ir.json.JsonText;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The estimate as a text table and as JSON, per layer and in total. Both say on every figure's heading that it is
 * an estimate: nothing here was measured on hardware.
 */
public final class EstimateReport {
    private EstimateReport() {}

    /** A table per layer, then the totals against the part's resources. */
    public static String text(FpgaEstimate e) {
        StringBuilder b = new StringBuilder();
        FpgaPart part = e.part();
        FpgaDesign d = e.design();
        b.append(String.format(Locale.ROOT, "FPGA estimate (estimates, not measurements) on %s (%s, %s), %s, %s at %.0f MHz%n",
                part.id(), part.name(), part.board(), e.architectureNote(), d.dtype().name().toLowerCase(Locale.ROOT), d.clockHz() / 1e6));
        b.append(String.format(Locale.ROOT, "%-28s %-18s %6s %3s %7s %7s %9s %13s %11s %s%n", "layer", "op", "lanes", "II",
                "DSP~", "mem~", "logic~", "cycles~", "latency~us", "bound"));
        for (LayerEstimate l : e.layers()) {
            b.append(String.format(Locale.ROOT, "%-28s %-18s %6d %3d %7d %7d %9d %13.0f %11.2f %s%s%n", clip(l.node()), clip(l.op()),
                    l.lanes(), l.ii(), l.dsps(), l.memoryBlocks(), l.logicCells(), l.cycles(), l.cycles() / d.clockHz() * 1e6,
                    l.memoryBound() ? "memory" : "compute", l.weightsOnChip() ? ", weights on chip" : ""));
        }
        b.append(String.format(Locale.ROOT, "total (estimate): DSP %d / %d (%.1f%%), on-chip memory %d %s-equivalent blocks (%.1f%%), "
                        + "logic %d / %d %s (%.1f%%)%n", e.dsps(), part.dsp().count(), 100 * e.dspUtilization(), e.memoryBlocks(),
                part.memory().blockName(), 100 * e.memoryUtilization(), e.logicCells(), part.logic().cells(), part.logic().unit(),
                100 * e.logicUtilization()));
        b.append(String.format(Locale.ROOT, "latency (estimate) %.3f ms per inference, throughput (estimate) %.1f inferences/s, "
                        + "board power (estimate) %.1f W, energy (estimate) %.2f mJ per inference, external traffic %.2f MB per inference%n",
                e.latencySeconds() * 1e3, e.throughputPerSecond(), e.powerWatts(), e.energyJoules() * 1e3, e.externalBytesPerInference() / 1e6));
        return b.toString();
    }

    /** The same figures as JSON, every number under a key that ends in {@code Estimate} or inside {@code estimate}. */
    public static String json(FpgaEstimate e) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("kind", "estimate");
        root.put("note", "all figures are estimates from Kiln's FPGA model, not measurements");
        root.put("part", e.part().id());
        root.put("board", e.part().board());
        root.put("architecture", e.design().architecture().name().toLowerCase(Locale.ROOT));
        root.put("architectureNote", e.architectureNote());
        root.put("dtype", e.design().dtype().name().toLowerCase(Locale.ROOT));
        root.put("clockMHz", e.design().clockHz() / 1e6);
        List<Object> layers = new ArrayList<>();
        for (LayerEstimate l : e.layers()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("node", l.node());
            m.put("op", l.op());
            m.put("lanes", l.lanes());
            m.put("initiationInterval", l.ii());
            m.put("weightsOnChip", l.weightsOnChip());
            Map<String, Object> est = new LinkedHashMap<>();
            est.put("dsps", l.dsps());
            est.put("memoryBlocks", l.memoryBlocks());
            est.put("logicCells", l.logicCells());
            est.put("cycles", Math.round(l.cycles()));
            est.put("latencySeconds", l.cycles() / e.design().clockHz());
            est.put("externalBytes", Math.round(l.externalBytes()));
            est.put("memoryBound", l.memoryBound());
            m.put("estimate", est);
            layers.add(m);
        }
        root.put("layers", layers);
        Map<String, Object> total = new LinkedHashMap<>();
        total.put("dsps", e.dsps());
        total.put("dspsAvailable", e.part().dsp().count());
        total.put("memoryBlocks", e.memoryBlocks());
        total.put("memoryBlockName", e.part().memory().blockName());
        total.put("logicCells", e.logicCells());
        total.put("logicAvailable", e.part().logic().cells());
        total.put("latencySeconds", e.latencySeconds());
        total.put("throughputPerSecond", e.throughputPerSecond());
        total.put("powerWatts", e.powerWatts());
        total.put("energyJoulesPerInference", e.energyJoules());
        total.put("externalBytesPerInference", Math.round(e.externalBytesPerInference()));
        root.put("totalEstimate", total);
        return JsonText.write(root);
    }

    private static String clip(String s) { return s.length() <= 28 ? s : s.substring(0, 25) + "..."; }
}
