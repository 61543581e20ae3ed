package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.DType;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * NonMaxSuppression: per batch and class, boxes scoring above score_threshold are taken in descending score order
 * (ties by box index), each dropped when its IoU with an already selected box exceeds iou_threshold, up to
 * max_output_boxes_per_class (0 or absent selects nothing). Output rows are (batch, class, box).
 */
final class NonMaxSuppressionKernel {
    private NonMaxSuppressionKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor boxes = ctx.input(0), scores = ctx.input(1);
        if (boxes.rank() != 3 || boxes.dim(2) != 4 || scores.rank() != 3) throw ctx.fail("boxes must be [B, N, 4] and scores [B, C, N]");
        int batches = (int) boxes.dim(0), count = (int) boxes.dim(1), classes = (int) scores.dim(1);
        if (scores.dim(0) != batches || scores.dim(2) != count) throw ctx.fail("boxes and scores disagree on batch or box count");
        long maxPerClass = ctx.hasInput(2) ? ctx.input(2).getLong(0) : 0;
        double iouThreshold = ctx.hasInput(3) ? ctx.input(3).getDouble(0) : 0;
        Double scoreThreshold = ctx.hasInput(4) ? ctx.input(4).getDouble(0) : null;
        boolean centered = ctx.intAttr("center_point_box", 0) != 0;
        double[] b = boxes.toDoubles(), s = scores.toDoubles();
        List<long[]> selected = new ArrayList<>();
        for (int batch = 0; batch < batches; batch++) {
            double[][] corners = new double[count][];
            for (int i = 0; i < count; i++) corners[i] = corners(b, (batch * count + i) * 4, centered);
            for (int c = 0; c < classes; c++) {
                int base = (batch * classes + c) * count;
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < count; i++) if (scoreThreshold == null || s[base + i] > scoreThreshold) order.add(i);
                order.sort(Comparator.comparingDouble((Integer i) -> -s[base + i]).thenComparingInt(i -> i));
                List<Integer> kept = new ArrayList<>();
                for (int i : order) {
                    if (kept.size() >= maxPerClass) break;
                    boolean suppressed = false;
                    for (int k : kept) if (iou(corners[i], corners[k]) > iouThreshold) { suppressed = true; break; }
                    if (!suppressed) {
                        kept.add(i);
                        selected.add(new long[] {batch, c, i});
                    }
                }
            }
        }
        long[] flat = new long[selected.size() * 3];
        for (int i = 0; i < selected.size(); i++) System.arraycopy(selected.get(i), 0, flat, i * 3, 3);
        return List.of(Tensor.ofLongs(DType.I64, new long[] {selected.size(), 3}, flat));
    }

    /** {y1, x1, y2, x2} with y1 <= y2 and x1 <= x2, from either corner or center form. */
    private static double[] corners(double[] b, int at, boolean centered) {
        if (centered) {
            double xc = b[at], yc = b[at + 1], w = b[at + 2], h = b[at + 3];
            return new double[] {yc - h / 2, xc - w / 2, yc + h / 2, xc + w / 2};
        }
        return new double[] {Math.min(b[at], b[at + 2]), Math.min(b[at + 1], b[at + 3]),
                Math.max(b[at], b[at + 2]), Math.max(b[at + 1], b[at + 3])};
    }

    private static double iou(double[] a, double[] b) {
        double areaA = (a[2] - a[0]) * (a[3] - a[1]), areaB = (b[2] - b[0]) * (b[3] - b[1]);
        if (areaA <= 0 || areaB <= 0) return 0;
        double h = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
        double w = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
        double inter = h * w;
        return inter / (areaA + areaB - inter);
    }
}
