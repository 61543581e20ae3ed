package dev.kiln.interpreter.kernels;

import dev.kiln.interpreter.KernelContext;
import dev.kiln.ir.Attribute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The trees of a TreeEnsembleClassifier or TreeEnsembleRegressor with node ids resolved to positions in the
 * {@code nodes_*} lists, and the leaf votes ({@code class_*} or {@code target_*}) grouped by the node they sit on.
 * A tree's root is its first node in list order; trees are taken in increasing tree id.
 */
final class MlClassicForest {
    private static final List<String> MODES = List.of("BRANCH_LEQ", "BRANCH_LT", "BRANCH_GTE", "BRANCH_GT",
            "BRANCH_EQ", "BRANCH_NEQ", "LEAF");
    private static final int LEAF = 6;

    private record NodeKey(long tree, long node) {}

    private final int[] features;
    private final double[] thresholds;
    private final int[] modes;
    private final int[] trueNext;
    private final int[] falseNext;
    private final boolean[] missingTracksTrue;
    private final int[] roots;
    /** Per node position, the indexes of the votes on it. */
    private final int[][] votesAt;
    final long[] voteTargets;
    final double[] voteWeights;

    private MlClassicForest(KernelContext ctx, String votePrefix) {
        long[] nodeIds = ints(ctx, "nodes_nodeids");
        long[] treeIds = ints(ctx, "nodes_treeids");
        long[] featureIds = ints(ctx, "nodes_featureids");
        long[] trueIds = ints(ctx, "nodes_truenodeids");
        long[] falseIds = ints(ctx, "nodes_falsenodeids");
        thresholds = either(ctx, "nodes_values");
        Attribute modeAttr = ctx.attr("nodes_modes");
        List<String> modeNames = modeAttr == null ? List.of() : modeAttr.asStrings();
        long[] missing = ctx.intsAttr("nodes_missing_value_tracks_true");
        int n = nodeIds.length;
        if (n == 0) throw ctx.fail("the ensemble has no nodes");
        for (int length : new int[] {treeIds.length, featureIds.length, trueIds.length, falseIds.length, thresholds.length,
                modeNames.size()}) {
            if (length != n) throw ctx.fail("every nodes_* attribute must have one entry per node (" + n + ")");
        }
        if (missing != null && missing.length != 0 && missing.length != n) {
            throw ctx.fail("nodes_missing_value_tracks_true must have one entry per node (" + n + ")");
        }
        Map<NodeKey, Integer> position = new HashMap<>();
        TreeMap<Long, Integer> rootByTree = new TreeMap<>();
        modes = new int[n];
        features = new int[n];
        missingTracksTrue = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (position.put(new NodeKey(treeIds[i], nodeIds[i]), i) != null) {
                throw ctx.fail("node " + nodeIds[i] + " of tree " + treeIds[i] + " is listed twice");
            }
            rootByTree.putIfAbsent(treeIds[i], i);
            modes[i] = MODES.indexOf(modeNames.get(i));
            if (modes[i] < 0) throw ctx.fail("unknown node mode '" + modeNames.get(i) + "'");
            features[i] = (int) featureIds[i];
            missingTracksTrue[i] = missing != null && missing.length == n && missing[i] != 0;
        }
        roots = rootByTree.values().stream().mapToInt(Integer::intValue).toArray();
        trueNext = new int[n];
        falseNext = new int[n];
        for (int i = 0; i < n; i++) {
            if (modes[i] == LEAF) continue;
            trueNext[i] = resolve(ctx, position, treeIds[i], trueIds[i]);
            falseNext[i] = resolve(ctx, position, treeIds[i], falseIds[i]);
        }

        long[] voteNodes = ints(ctx, votePrefix + "_nodeids");
        long[] voteTrees = ints(ctx, votePrefix + "_treeids");
        voteTargets = ints(ctx, votePrefix + "_ids");
        voteWeights = either(ctx, votePrefix + "_weights");
        int votes = voteTargets.length;
        if (voteNodes.length != votes || voteTrees.length != votes || voteWeights.length != votes) {
            throw ctx.fail("every " + votePrefix + "_* attribute must have one entry per vote (" + votes + ")");
        }
        List<List<Integer>> grouped = new ArrayList<>();
        for (int i = 0; i < n; i++) grouped.add(new ArrayList<>());
        for (int k = 0; k < votes; k++) grouped.get(resolve(ctx, position, voteTrees[k], voteNodes[k])).add(k);
        votesAt = grouped.stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    static MlClassicForest of(KernelContext ctx, String votePrefix) { return new MlClassicForest(ctx, votePrefix); }

    private static int resolve(KernelContext ctx, Map<NodeKey, Integer> position, long tree, long node) {
        Integer at = position.get(new NodeKey(tree, node));
        if (at == null) throw ctx.fail("tree " + tree + " has no node " + node);
        return at;
    }

    private static long[] ints(KernelContext ctx, String name) {
        long[] v = ctx.intsAttr(name);
        return v == null ? new long[0] : v;
    }

    /** A float list given as {@code name} or, in double precision, as {@code name_as_tensor}; empty when absent. */
    static double[] either(KernelContext ctx, String name) {
        Attribute tensor = ctx.attr(name + "_as_tensor");
        if (tensor != null) return tensor.asTensor().toDoubles();
        float[] floats = ctx.floatsAttr(name);
        double[] out = new double[floats == null ? 0 : floats.length];
        for (int i = 0; i < out.length; i++) out[i] = floats[i];
        return out;
    }

    int treeCount() { return roots.length; }

    /**
     * The node position of the leaf tree {@code tree} reaches for the features at {@code x[offset ..]}. A NaN feature
     * follows nodes_missing_value_tracks_true (false when unset) whatever the node's comparison.
     */
    int leaf(KernelContext ctx, int tree, double[] x, int offset, int featureCount) {
        int node = roots[tree];
        for (int steps = 0; modes[node] != LEAF; steps++) {
            if (steps > modes.length) throw ctx.fail("tree " + tree + " has a cycle");
            int f = features[node];
            if (f < 0 || f >= featureCount) throw ctx.fail("feature id " + f + " is outside [0, " + featureCount + ")");
            double v = x[offset + f];
            double t = thresholds[node];
            boolean goTrue = Double.isNaN(v) ? missingTracksTrue[node] : switch (modes[node]) {
                case 0 -> v <= t;
                case 1 -> v < t;
                case 2 -> v >= t;
                case 3 -> v > t;
                case 4 -> v == t;
                default -> v != t;
            };
            node = goTrue ? trueNext[node] : falseNext[node];
        }
        return node;
    }

    /** The indexes of the votes on node position {@code node}. */
    int[] votes(int node) { return votesAt[node]; }
}
