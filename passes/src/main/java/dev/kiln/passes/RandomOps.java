package dev.kiln.passes;

import dev.kiln.ir.Node;

import java.util.Set;

/** Ops whose every run draws new values: two of them never compute the same thing, and none folds to a constant. */
final class RandomOps {
    private static final Set<String> OPS = Set.of(
            "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Bernoulli", "Multinomial");

    private RandomOps() {}

    static boolean isRandom(Node node) {
        return (node.domain().isEmpty() || node.domain().equals("ai.onnx")) && OPS.contains(node.op());
    }
}
