package dev.kiln.passes;

import dev.kiln.ir.Graph;

/**
 * One graph rewrite. Each pass is one class with a kebab-case name ({@code FoldBatchNorm} ↔ {@code fold-batch-norm}),
 * a one-line summary, and {@link #run}; passes are listed in {@code META-INF/services/dev.kiln.passes.Pass} and
 * ordered into pipelines by {@link Pipelines}.
 */
public interface Pass {
    /** Kebab-case name used by {@code --disable-pass}, {@code --print-ir-after} and the dump files. */
    String name();

    /** One line for {@code kiln passes} and the docs. */
    String summary();

    /**
     * Returns the rewritten graph (or the same one when nothing applied). Counts each rewrite with
     * {@link PassContext#rewrote} and says why a node was or was not touched with {@link PassContext#explain}.
     */
    Graph run(Graph graph, PassContext ctx);
}
