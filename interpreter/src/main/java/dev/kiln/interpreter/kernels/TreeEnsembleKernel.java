package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;
import dev.kiln.ir.tensor.RuntimeValue;
import dev.kiln.ir.tensor.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * ai.onnx.ml TreeEnsemble (opset 5): each tree walks from its root, comparing one feature per node with the node's
 * split (modes LEQ, LT, GTE, GT, EQ, NEQ, MEMBER), until a leaf; each leaf adds its weight to its target. Targets
 * are aggregated over trees (average, sum, min, max), then post-transformed.
 */
final class TreeEnsembleKernel {
    private TreeEnsembleKernel() {}

    static List<RuntimeValue> run(KernelContext ctx) {
        Tensor x = ctx.input(0);
        if (x.rank() != 2) throw ctx.fail("X must be 2D [N, features]");
        int rows = (int) x.dim(0), features = (int) x.dim(1);
        int targets = (int) ctx.intAttr("n_targets", 0);
        long[] featureIds = ints(ctx, "nodes_featureids"), trueIds = ints(ctx, "nodes_truenodeids"),
                falseIds = ints(ctx, "nodes_falsenodeids"), trueLeafs = ints(ctx, "nodes_trueleafs"),
                falseLeafs = ints(ctx, "nodes_falseleafs"), roots = ints(ctx, "tree_roots"), leafTargets = ints(ctx, "leaf_targetids");
        long[] missingTrue = ctx.intsAttr("nodes_missing_value_tracks_true");
        double[] splits = tensor(ctx, "nodes_splits").toDoubles(), leafWeights = tensor(ctx, "leaf_weights").toDoubles();
        long[] modes = tensor(ctx, "nodes_modes").toLongs();
        List<Set<Double>> memberSets = memberships(ctx, modes);
        int aggregate = (int) ctx.intAttr("aggregate_function", 1);
        double[] data = x.toDoubles(), out = new double[rows * targets];
        for (int r = 0; r < rows; r++) {
            double[] acc = new double[targets];
            boolean[] seen = new boolean[targets];
            for (long root : roots) {
                int node = (int) root;
                boolean leaf = false;
                for (int steps = 0; !leaf; steps++) {
                    if (node < 0 || node >= featureIds.length || steps > featureIds.length) throw ctx.fail("tree structure is invalid at node " + node);
                    int f = (int) featureIds[node];
                    if (f < 0 || f >= features) throw ctx.fail("feature id " + f + " is outside [0, " + features + ")");
                    double v = data[r * features + f];
                    boolean goTrue = Double.isNaN(v) && missingTrue != null && missingTrue[node] != 0
                            || test((int) modes[node], v, splits[node], memberSets.get(node), ctx);
                    leaf = (goTrue ? trueLeafs : falseLeafs)[node] != 0;
                    node = (int) (goTrue ? trueIds : falseIds)[node];
                }
                if (node < 0 || node >= leafWeights.length) throw ctx.fail("leaf index " + node + " is out of range");
                int t = (int) leafTargets[node];
                if (t < 0 || t >= targets) throw ctx.fail("leaf target " + t + " is outside [0, " + targets + ")");
                double w = leafWeights[node];
                acc[t] = !seen[t] ? w : switch (aggregate) {
                    case 2 -> Math.min(acc[t], w);
                    case 3 -> Math.max(acc[t], w);
                    default -> acc[t] + w;
                };
                seen[t] = true;
            }
            if (aggregate == 0) for (int t = 0; t < targets; t++) acc[t] /= roots.length;
            postTransform(ctx, acc);
            System.arraycopy(acc, 0, out, r * targets, targets);
        }
        return List.of(Tensor.ofDoubles(x.dtype(), new long[] {rows, targets}, out));
    }

    private static boolean test(int mode, double v, double split, Set<Double> members, KernelContext ctx) {
        return switch (mode) {
            case 0 -> v <= split;
            case 1 -> v < split;
            case 2 -> v >= split;
            case 3 -> v > split;
            case 4 -> v == split;
            case 5 -> v != split;
            case 6 -> members.contains(v + 0.0);
            default -> throw ctx.fail("unknown node mode " + mode);
        };
    }

    /** The set of each MEMBER node: membership_values holds one NaN-terminated set per MEMBER node, in node order. */
    private static List<Set<Double>> memberships(KernelContext ctx, long[] modes) {
        List<Set<Double>> sets = new ArrayList<>();
        Attribute values = ctx.attr("membership_values");
        double[] all = values == null ? new double[0] : values.asTensor().toDoubles();
        int pos = 0;
        for (long mode : modes) {
            Set<Double> s = new HashSet<>();
            if (mode == 6) {
                if (pos >= all.length) throw ctx.fail("membership_values has too few sets");
                for (; pos < all.length && !Double.isNaN(all[pos]); pos++) s.add(all[pos] + 0.0);
                pos++;
            }
            sets.add(s);
        }
        return sets;
    }

    private static void postTransform(KernelContext ctx, double[] v) {
        switch ((int) ctx.intAttr("post_transform", 0)) {
            case 0 -> { }
            case 1, 2 -> {
                boolean zero = ctx.intAttr("post_transform", 0) == 2;
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (double d : v) max = Math.max(max, d);
                for (int i = 0; i < v.length; i++) {
                    v[i] = zero && v[i] == 0 ? 0 : Math.exp(v[i] - max);
                    sum += v[i];
                }
                for (int i = 0; i < v.length; i++) v[i] = sum == 0 ? 0 : v[i] / sum;
            }
            case 3 -> { for (int i = 0; i < v.length; i++) v[i] = 1 / (1 + Math.exp(-v[i])); }
            case 4 -> { for (int i = 0; i < v.length; i++) v[i] = Math.sqrt(2) * erfInv(2 * v[i] - 1); }
            default -> throw ctx.fail("unknown post_transform " + ctx.intAttr("post_transform", 0));
        }
    }

    /** The inverse error function, by M. Giles' polynomial approximation (about float precision). */
    static double erfInv(double x) {
        double w = -Math.log((1 - x) * (1 + x)), p;
        if (w < 5) {
            w -= 2.5;
            p = 2.81022636e-08;
            for (double c : new double[] {3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                    -0.00125372503, -0.00417768164, 0.246640727, 1.50140941}) p = c + p * w;
        } else {
            w = Math.sqrt(w) - 3;
            p = -0.000200214257;
            for (double c : new double[] {0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
                    -0.0076224613, 0.00943887047, 1.00167406, 2.83297682}) p = c + p * w;
        }
        return p * x;
    }

    private static long[] ints(KernelContext ctx, String name) {
        long[] v = ctx.intsAttr(name);
        if (v == null) throw ctx.fail("attribute '" + name + "' is required");
        return v;
    }

    private static Tensor tensor(KernelContext ctx, String name) {
        Attribute a = ctx.attr(name);
        if (a == null) throw ctx.fail("attribute '" + name + "' is required");
        return a.asTensor();
    }
}
