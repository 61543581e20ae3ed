package dev.kiln.backend.cpu.products;

import dev.kiln.backend.cpu.plan.Frame;
import dev.kiln.interpreter.Interpreter;
import dev.kiln.ir.Graph;
import dev.kiln.ir.Node;
import dev.kiln.ir.tensor.RuntimeValue;

import java.util.ArrayList;
import java.util.List;

/** The interpreter's kernel for a run whose shapes a fast step does not cover (a rare broadcast form, say). */
final class ReferenceFallback {
    private ReferenceFallback() {}

    /** The node's first output, computed by the reference kernel from the inputs in {@code slots} (negative: absent). */
    static RuntimeValue run(Node node, Graph graph, int[] slots, Frame frame) {
        List<RuntimeValue> args = new ArrayList<>();
        for (int slot : slots) args.add(slot < 0 ? null : frame.get(slot));
        return Interpreter.runNode(node, graph, args, name -> null).getFirst();
    }
}
